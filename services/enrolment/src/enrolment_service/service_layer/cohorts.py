"""Forming cohorts and adding people to them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from uuid import UUID

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.calendar import CalendarDates
from enrolment_service.domain.cohort import Cohort
from enrolment_service.domain.errors import InvalidValue, Refusals
from enrolment_service.domain.vocabulary import Track
from enrolment_service.service_layer import access
from enrolment_service.service_layer.beneficiaries import load
from enrolment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import NotFound
from hopekit.identity.principal import Principal


async def create(
    uow: EnrolmentUnitOfWork,
    principal: Principal,
    *,
    name: str,
    sector_code: str,
    region: str,
    track: Track,
    training_provider_org_id: UUID,
    support_provider_org_id: UUID,
    capacity: int,
    calendar: CalendarDates,
) -> Cohort:
    access.ensure_operator_writer(principal)
    unfit = await _unfit_providers(uow, training_provider_org_id, support_provider_org_id)
    try:
        cohort, created = Cohort.create(
            cohort_id=uuid.uuid4(),
            name=name,
            sector_code=sector_code,
            region=region,
            track=track,
            training_provider_org_id=training_provider_org_id,
            support_provider_org_id=support_provider_org_id,
            capacity=capacity,
            calendar=calendar,
            at=datetime.now(UTC),
        )
    except InvalidValue as refused:
        # The caller hears of every fault at once: the domain's and the providers'.
        raise InvalidValue(*refused.refusals[0], *refused.refusals[1:], *unfit.found) from None
    unfit.raise_any()
    await uow.cohorts.add(cohort, principal.org_id)
    publish(uow, [created])
    uow.audit(principal, "create", "cohort", cohort.id)
    return cohort


async def _unfit_providers(uow: EnrolmentUnitOfWork, training: UUID, support: UUID) -> Refusals:
    """A cohort's providers must be active partner organisations of their kind, as the gateway's events describe
    them: an employer, an unknown id or a deactivated school cannot be given a cohort (and then see its people)."""
    unfit = Refusals()
    for field, org_id, kind in (
        ("training_provider_org_id", training, OrgKind.TRAINING_PROVIDER),
        ("support_provider_org_id", support, OrgKind.SUPPORT_PROVIDER),
    ):
        if not await uow.partners.is_active(org_id, kind):
            unfit.add(field, f"must be an active {kind.value} organisation registered at the gateway")
    return unfit


async def read(uow: EnrolmentUnitOfWork, principal: Principal, cohort_id: UUID) -> Cohort:
    cohort = await uow.cohorts.get(cohort_id)
    if cohort is None:
        raise NotFound.of("cohort")
    access.ensure_may_read_cohort(principal, cohort)
    return cohort


async def search(uow: EnrolmentUnitOfWork, principal: Principal, after_id: UUID | None, limit: int) -> list[Cohort]:
    provider = None if principal.is_operator else principal.org_id
    return await uow.cohorts.search(provider, after_id, limit)


async def change_calendar(
    uow: EnrolmentUnitOfWork, principal: Principal, cohort_id: UUID, calendar: CalendarDates
) -> Cohort:
    """The programme operator replaces the cohort's calendar; partners hear the whole of it again."""
    access.ensure_operator_writer(principal)
    cohort = await _for_update(uow, cohort_id)
    events = cohort.change_calendar(calendar, datetime.now(UTC))
    if events:
        await uow.cohorts.replace_calendar(cohort)
        publish(uow, events)
        uow.audit(principal, "change_calendar", "cohort", cohort.id)
    return cohort


async def _for_update(uow: EnrolmentUnitOfWork, cohort_id: UUID) -> Cohort:
    cohort = await uow.cohorts.get(cohort_id, for_update=True)
    if cohort is None:
        raise NotFound.of("cohort")
    return cohort


async def add_member(
    uow: EnrolmentUnitOfWork, principal: Principal, cohort_id: UUID, beneficiary_id: UUID, joined_on: date | None
) -> Cohort:
    access.ensure_operator_writer(principal)
    cohort = await _for_update(uow, cohort_id)
    beneficiary = await load(uow, beneficiary_id, for_update=True)
    events = cohort.add_member(beneficiary.pathway, datetime.now(UTC), joined_on)
    if events:
        await uow.beneficiaries.save(beneficiary)
        publish(uow, events)
        uow.audit(principal, "add_member", "cohort", cohort.id)
    return cohort
