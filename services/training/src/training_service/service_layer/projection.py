"""Enrolment's events kept as training's local picture of the programme: who is in which step and cohort.

Every use case is order-independent and idempotent (the consumer's inbox drops exact duplicates; upserts absorb
the rest); nothing is recreated for an erased person.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time
from uuid import UUID

from hope_contracts import enrolment
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.calendar import PlannedPeriod
from training_service.domain.vocabulary import Step, Track
from training_service.service_layer.participations import close_for_withdrawal


async def note_registration(uow: TrainingUnitOfWork, event: enrolment.BeneficiaryRegistered) -> None:
    if not await uow.projection.is_erased(event.beneficiary_id):
        await uow.projection.note_participant(event.beneficiary_id, event.track, event.registered_by_org_id)


async def note_step_started(uow: TrainingUnitOfWork, event: enrolment.StepStarted) -> None:
    if await uow.projection.is_erased(event.beneficiary_id):
        return
    await uow.projection.note_participant(event.beneficiary_id, event.track)
    await uow.projection.step_started(event.beneficiary_id, event.step, event.cohort_id, event.occurred_at)
    if event.cohort_id is not None:
        await uow.projection.member_added(event.cohort_id, event.beneficiary_id)


async def note_step_completed(uow: TrainingUnitOfWork, event: enrolment.StepCompleted) -> None:
    if not await uow.projection.is_erased(event.beneficiary_id):
        await uow.projection.step_completed(event.beneficiary_id, event.step, event.occurred_at)


async def withdraw(uow: TrainingUnitOfWork, event: enrolment.BeneficiaryWithdrawn) -> None:
    """The person leaves the programme: their open courses close (see ``close_for_withdrawal``)."""
    if await uow.projection.is_erased(event.beneficiary_id):
        return
    await uow.projection.withdrawn(event.beneficiary_id, event.occurred_at)
    closed = await close_for_withdrawal(uow, event.beneficiary_id, event.occurred_at)
    uow.audit_event("withdraw", "beneficiary", event.beneficiary_id, reason=f"courses_closed:{closed}")


async def note_cohort(uow: TrainingUnitOfWork, event: enrolment.CohortCreated) -> None:
    await uow.cohorts.note(event)
    await _replace_calendar(uow, event.cohort_id, event.calendar, event.occurred_at)


async def note_calendar_change(uow: TrainingUnitOfWork, event: enrolment.CohortCalendarChanged) -> None:
    """The whole calendar as enrolment now plans it; it may come before the cohort's created event."""
    await _replace_calendar(uow, event.cohort_id, event.calendar, event.occurred_at)


async def _replace_calendar(
    uow: TrainingUnitOfWork, cohort_id: UUID, calendar: Iterable[enrolment.StepPeriod], as_of: datetime
) -> None:
    """What is held is replaced whole by a newer description only: a created event arriving after the change
    event (or either delivered again) leaves the newer calendar in place."""
    periods = [PlannedPeriod(Step(period.step), period.starts_on, period.ends_on) for period in calendar]
    if await uow.calendars.replace(cohort_id, periods, as_of):
        uow.audit_event("replace_calendar", "cohort", cohort_id, reason=f"periods:{len(periods)}")


def joined_at(event: enrolment.CohortMemberAdded) -> datetime:
    """The person's own join date when enrolment gives it (someone who joins a running cohort); events from before
    enrolment kept join dates say only when the person was added."""
    if event.joined_on is None:
        return event.occurred_at
    return datetime.combine(event.joined_on, time.min, tzinfo=UTC)


async def note_member(uow: TrainingUnitOfWork, event: enrolment.CohortMemberAdded) -> None:
    if not await uow.projection.is_erased(event.beneficiary_id):
        await uow.projection.note_participant(event.beneficiary_id, Track.GROUP.value)
        await uow.projection.member_added(event.cohort_id, event.beneficiary_id, joined_at(event))
