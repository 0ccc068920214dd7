"""Enrolment's events into the local projection. Every handler is order-independent and idempotent
(the consumer's inbox drops exact duplicates; upserts absorb the rest); nothing is recreated for an
erased person."""

from __future__ import annotations

from typing import Any

from hope_contracts import enrolment
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.runtime import ConsumerSpec
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.vocabulary import Track
from training_service.service_layer.participations import close_for_withdrawal

ENROLMENT_TOPIC = "hope.enrolment.events"


async def on_registered(uow: TrainingUnitOfWork, event: ReceivedEvent) -> None:
    data = enrolment.BeneficiaryRegistered.model_validate(event.data)
    if not await uow.projection.is_erased(data.beneficiary_id):
        await uow.projection.note_participant(data.beneficiary_id, data.track)


async def on_step_started(uow: TrainingUnitOfWork, event: ReceivedEvent) -> None:
    data = enrolment.StepStarted.model_validate(event.data)
    if await uow.projection.is_erased(data.beneficiary_id):
        return
    await uow.projection.note_participant(data.beneficiary_id, data.track)
    await uow.projection.step_started(data.beneficiary_id, data.step, data.cohort_id, data.occurred_at)
    if data.cohort_id is not None:
        await uow.projection.member_added(data.cohort_id, data.beneficiary_id)


async def on_step_completed(uow: TrainingUnitOfWork, event: ReceivedEvent) -> None:
    data = enrolment.StepCompleted.model_validate(event.data)
    if not await uow.projection.is_erased(data.beneficiary_id):
        await uow.projection.step_completed(data.beneficiary_id, data.step, data.occurred_at)


async def on_withdrawn(uow: TrainingUnitOfWork, event: ReceivedEvent) -> None:
    data = enrolment.BeneficiaryWithdrawn.model_validate(event.data)
    if await uow.projection.is_erased(data.beneficiary_id):
        return
    await uow.projection.withdrawn(data.beneficiary_id, data.occurred_at)
    await close_for_withdrawal(uow, data.beneficiary_id, data.occurred_at)


async def on_erased(uow: TrainingUnitOfWork, event: ReceivedEvent) -> None:
    data = enrolment.BeneficiaryErased.model_validate(event.data)
    person = data.beneficiary_id
    for course_id in await uow.courses.individual_course_ids(person):
        await uow.courses.delete(course_id)
    await uow.attendance.erase(person)
    await uow.records.erase(person)
    await uow.projection.erase(person, data.occurred_at)


async def on_cohort_created(uow: TrainingUnitOfWork, event: ReceivedEvent) -> None:
    data = enrolment.CohortCreated.model_validate(event.data)
    await uow.projection.cohort_created(
        data.cohort_id, data.track, data.sector_code, data.training_provider_org_id, data.support_provider_org_id
    )


async def on_member_added(uow: TrainingUnitOfWork, event: ReceivedEvent) -> None:
    data = enrolment.CohortMemberAdded.model_validate(event.data)
    if not await uow.projection.is_erased(data.beneficiary_id):
        await uow.projection.note_participant(data.beneficiary_id, Track.GROUP.value)
        await uow.projection.member_added(data.cohort_id, data.beneficiary_id)


HANDLERS: dict[str, Any] = {
    enrolment.BeneficiaryRegistered.event_type: on_registered,
    enrolment.StepStarted.event_type: on_step_started,
    enrolment.StepCompleted.event_type: on_step_completed,
    enrolment.BeneficiaryWithdrawn.event_type: on_withdrawn,
    enrolment.BeneficiaryErased.event_type: on_erased,
    enrolment.CohortCreated.event_type: on_cohort_created,
    enrolment.CohortMemberAdded.event_type: on_member_added,
}

CONSUMERS = [ConsumerSpec(name="enrolment-projection", topics=[ENROLMENT_TOPIC], handlers=HANDLERS)]
