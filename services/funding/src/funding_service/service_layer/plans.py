"""Financing plans: which lines pay which cost of a cohort or an individual path, in what shares."""

from __future__ import annotations

from uuid import UUID

from funding_service.adapters.projection import PendingCommitment
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.errors import InvalidValue, NotFound
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.vocabulary import CostType
from funding_service.service_layer import access, support_retry
from hopekit.identity.principal import Principal


async def create(uow: FundingUnitOfWork, principal: Principal, plan: FinancingPlan) -> FinancingPlan:
    access.ensure_operator_writer(principal)
    lines = await uow.reference.lines(set(plan.shares))
    region = sector = track = None
    if plan.cohort_id is not None:
        cohort = await uow.cohorts.get(plan.cohort_id)
        if cohort is None:
            raise NotFound("cohort", plan.cohort_id)
        region, sector, track = cohort.region, cohort.sector_code, cohort.track
    else:
        track = "individual"
    owners = await uow.reference.line_owners(set(plan.shares))
    if any(status == "closed" for _, _, status in owners.values()):
        raise InvalidValue("shares", "a closed agreement's line pays nothing more")
    FinancingPlan.checked(plan, lines, region, sector, track)
    await uow.reference.add_plan(plan)
    uow.audit(principal, "create", "financing-plan", plan.plan_id)
    # Support's units the cohort's or person's events brought before the plan existed are paid now, if they fit.
    await support_retry.for_plan(uow, plan, principal)
    return plan


async def listed(uow: FundingUnitOfWork, principal: Principal, cohort_id: UUID | None) -> list[FinancingPlan]:
    access.ensure_operator_lister(principal)
    if cohort_id is None:
        return await uow.reference.plans()
    return await uow.reference.plans(cohort_id=cohort_id)


async def cohorts_without_plan(uow: FundingUnitOfWork, principal: Principal, step: int) -> list[UUID]:
    access.ensure_operator_lister(principal)
    return await uow.projection.cohorts_without_plan(CostType.TRAINING_HOURS.value, step)


async def pending_commitments(
    uow: FundingUnitOfWork, principal: Principal, after: UUID | None, limit: int
) -> list[PendingCommitment]:
    access.ensure_operator_lister(principal)
    return await uow.projection.pending_commitments(after, limit)
