"""Enrolment's events: the cohorts' support providers, people's steps, and the files they open and close.

Order-independent and idempotent: the consumer's inbox drops exact duplicates, the open-file index and the checks
absorb the rest (a step-started before its cohort's creation opens the file when the cohort arrives); nothing is
recreated for an erased person.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from hope_contracts import enrolment
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.vocabulary import EndReason
from support_service.service_layer import meals
from support_service.service_layer.files import close_for_person, open_for_step
from support_service.service_layer.housing import release_for_person

SUPPORTED_STEPS = (3, 4)


async def _erased(uow: SupportUnitOfWork, beneficiary_id: UUID) -> bool:
    person = await uow.projection.person(beneficiary_id)
    return person is not None and person.erased


def _periods(calendar: tuple[enrolment.StepPeriod, ...]) -> list[tuple[int, date, date | None]]:
    return [(period.step, period.starts_on, period.ends_on) for period in calendar]


async def note_cohort(uow: SupportUnitOfWork, event: enrolment.CohortCreated) -> None:
    # A member's step-started (another key: another partition, maybe another instance) may be applied meanwhile:
    # in turn, one of the two sees the other and opens the file.
    await uow.cohorts.lock(event.cohort_id)
    await uow.cohorts.note(event)
    await uow.schedule.replace_calendar(event.cohort_id, _periods(event.calendar), event.occurred_at)
    for beneficiary_id in await uow.projection.people_in_cohort_at_step(event.cohort_id, SUPPORTED_STEPS):
        await open_for_step(uow, beneficiary_id, event.cohort_id)


async def note_calendar(uow: SupportUnitOfWork, event: enrolment.CohortCalendarChanged) -> None:
    """The whole calendar replaces the one held (an older one arriving late changes nothing)."""
    await uow.schedule.replace_calendar(event.cohort_id, _periods(event.calendar), event.occurred_at)


async def note_member(uow: SupportUnitOfWork, event: enrolment.CohortMemberAdded) -> None:
    if await _erased(uow, event.beneficiary_id):
        return
    await uow.cohorts.lock(event.cohort_id)
    await uow.projection.note_member(event.beneficiary_id, event.cohort_id)
    await meals.refresh(uow, event.beneficiary_id)
    person = await uow.projection.person(event.beneficiary_id)
    if person is not None and person.current_step in SUPPORTED_STEPS:
        await open_for_step(uow, event.beneficiary_id, event.cohort_id)


async def note_step_started(uow: SupportUnitOfWork, event: enrolment.StepStarted) -> None:
    if await _erased(uow, event.beneficiary_id):
        return
    if event.cohort_id is not None:
        await uow.cohorts.lock(event.cohort_id)
    await uow.projection.step_started(event.beneficiary_id, event.step, event.cohort_id, event.occurred_at)
    await meals.refresh(uow, event.beneficiary_id)
    if event.step in SUPPORTED_STEPS:
        person = await uow.projection.person(event.beneficiary_id)
        cohort_id = event.cohort_id or (person.cohort_id if person is not None else None)
        await open_for_step(uow, event.beneficiary_id, cohort_id)


async def withdraw(uow: SupportUnitOfWork, event: enrolment.BeneficiaryWithdrawn) -> None:
    if await _erased(uow, event.beneficiary_id):
        return
    await close_for_person(uow, event.beneficiary_id, EndReason.WITHDRAWN, event.occurred_at)
    await release_for_person(uow, event.beneficiary_id, event.occurred_at.date())
    await uow.projection.left(event.beneficiary_id, event.occurred_at.date())
    await meals.refresh(uow, event.beneficiary_id)


async def complete(uow: SupportUnitOfWork, event: enrolment.PathwayCompleted) -> None:
    if await _erased(uow, event.beneficiary_id):
        return
    await close_for_person(uow, event.beneficiary_id, EndReason.PATH_COMPLETED, event.occurred_at)
    await release_for_person(uow, event.beneficiary_id, event.occurred_at.date())
    await uow.projection.left(event.beneficiary_id, event.occurred_at.date())
    await meals.refresh(uow, event.beneficiary_id)
