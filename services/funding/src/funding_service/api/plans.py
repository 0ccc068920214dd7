"""/v1/financing-plans: which budget lines pay which cost of a cohort or an individual path, in what shares;
and the cohorts that have no plan for a step."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Query, status
from pydantic import BaseModel, Field

from funding_service.api.dependencies import UoW
from funding_service.api.schemas import Money, Share, Strict
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.vocabulary import CostType
from funding_service.service_layer import plans
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, next_cursor
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["financing plans"])


class ShareIn(Strict):
    budget_line_id: UUID
    share: Share


class PlanIn(Strict):
    cost_type: CostType
    unit_cost: Money = Field(gt=0, description="The cost of one unit (an hour of training, a night).")
    step: int | None = Field(None, ge=1, le=4)
    cohort_id: UUID | None = None
    beneficiary_id: UUID | None = Field(None, description="For an individual path, instead of a cohort.")
    shares: list[ShareIn] = Field(min_length=1, max_length=10)
    remainder_line_id: UUID = Field(description="The line that takes the cent a split leaves over.")


class PlanOut(BaseModel):
    id: UUID
    cost_type: CostType
    unit_cost: Money
    step: int | None
    cohort_id: UUID | None
    beneficiary_id: UUID | None
    shares: list[ShareIn]
    remainder_line_id: UUID

    @classmethod
    def of(cls, plan: FinancingPlan) -> PlanOut:
        return cls(
            id=plan.plan_id,
            cost_type=plan.cost_type,
            unit_cost=plan.unit_cost,
            step=plan.step,
            cohort_id=plan.cohort_id,
            beneficiary_id=plan.beneficiary_id,
            shares=[ShareIn(budget_line_id=line, share=share) for line, share in plan.shares.items()],
            remainder_line_id=plan.remainder_line_id,
        )


class CohortsWithoutPlan(BaseModel):
    step: int
    cohort_ids: list[UUID]


@router.post(
    "/v1/financing-plans", status_code=status.HTTP_201_CREATED, response_model=PlanOut, dependencies=[IDEMPOTENT]
)
async def create_plan(body: PlanIn, principal: Caller, uow: UoW) -> PlanOut:
    """Shares sum to 1; each line pays the plan's cost type, admits the cohort's region, sector and track and the
    step, and respects its hourly cap (422 otherwise)."""
    plan = FinancingPlan(
        plan_id=uuid4(),
        cost_type=body.cost_type,
        unit_cost=body.unit_cost,
        shares={share.budget_line_id: share.share for share in body.shares},
        remainder_line_id=body.remainder_line_id,
        cohort_id=body.cohort_id,
        beneficiary_id=body.beneficiary_id,
        step=body.step,
    )
    return PlanOut.of(await plans.create(uow, principal, plan))


@router.get("/v1/financing-plans", response_model=list[PlanOut])
async def list_plans(principal: Caller, uow: UoW, cohort_id: UUID | None = None) -> list[PlanOut]:
    return [PlanOut.of(plan) for plan in await plans.listed(uow, principal, cohort_id)]


@router.get("/v1/cohorts-without-plan", response_model=CohortsWithoutPlan)
async def cohorts_without_plan(
    principal: Caller, uow: UoW, step: Annotated[int, Query(ge=3, le=4)] = 3
) -> CohortsWithoutPlan:
    """Cohorts enrolment created that no plan pays the training hours of for ``step``: they cannot start it."""
    return CohortsWithoutPlan(step=step, cohort_ids=await plans.cohorts_without_plan(uow, principal, step))


class PendingCommitmentOut(BaseModel):
    id: UUID
    beneficiary_id: UUID
    step: int
    plan_id: UUID
    amount: Money
    outcome: str = Field(
        description="unfunded (the lines had not enough left), inactive (an agreement not active), or "
        "unfunded_increase (a re-scheduled course wants more hours than the lines had left: amount is what is missing)."
    )


@router.get("/v1/pending-commitments", response_model=Page[PendingCommitmentOut])
async def pending_commitments(
    principal: Caller,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[PendingCommitmentOut]:
    """Step starts a plan pays that committed nothing, and re-scheduled courses whose extra hours the lines could
    not pay: what the operator has to fund or fix."""
    found = [
        PendingCommitmentOut(
            id=p.commitment_id,
            beneficiary_id=p.beneficiary_id,
            step=p.step,
            plan_id=p.plan_id,
            amount=p.amount,
            outcome=p.outcome,
        )
        for p in await plans.pending_commitments(uow, principal, after_id(cursor), limit + 1)
    ]
    return Page[PendingCommitmentOut](items=found[:limit], next_cursor=next_cursor(found, limit))
