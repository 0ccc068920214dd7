"""Closing a person's participation in a course: completion (step 4's hours rule) and withdrawal."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from hope_contracts import training as contract
from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.completion import check_completion
from training_service.domain.course import Course
from training_service.domain.eligibility import refusal
from training_service.domain.errors import NotInCourse
from training_service.domain.vocabulary import CourseStatus, ParticipationStatus
from training_service.service_layer.courses import PersonLedger, load, person_ledger


async def complete(
    uow: TrainingUnitOfWork, principal: Principal, course_id: UUID, beneficiary_id: UUID, waiver_reason: str | None
) -> tuple[Course, PersonLedger]:
    course = await load(uow, principal, course_id, write=True)
    await _ensure_in_course(uow, course, beneficiary_id)
    person = await person_ledger(uow, course, beneficiary_id)
    waived = check_completion(course.step, person.core, waiver_reason)
    now = datetime.now(UTC)
    try:
        await uow.courses.close_participation(
            {
                "course_id": course.id,
                "beneficiary_id": beneficiary_id,
                "status": ParticipationStatus.COMPLETED.value,
                "closed_at": now,
                "hours_waived": waived,
                "waiver_reason": waiver_reason if waived else None,
                "closed_by": principal.subject,
            }
        )
    except IntegrityError as error:  # a concurrent completion won the race
        raise NotInCourse(beneficiary_id, "participation_completed", "the participation is already closed") from error
    uow.publish(
        contract.CourseCompleted(
            course_id=course.id,
            beneficiary_id=beneficiary_id,
            step=int(course.step),
            cohort_id=course.cohort_id,
            planned_hours=person.core.planned,
            attended_hours=person.core.attended,
            hours_waived=waived,
            occurred_at=now,
        )
    )
    uow.audit(principal, "complete", "course", course.id, reason="waived" if waived else None)
    return course, person


async def _ensure_in_course(uow: TrainingUnitOfWork, course: Course, beneficiary_id: UUID) -> None:
    """Only someone in the course's cohort (or its one person) and step completes it, and only once."""
    person = await uow.projection.participant(beneficiary_id)
    refused = refusal(
        course,
        beneficiary_id,
        known=person is not None,
        withdrawn=person.withdrawn if person else False,
        steps=person.steps if person else frozenset(),
        cohort_ids=person.cohort_ids if person else frozenset(),
        closed=(await uow.courses.closed_participations(course.id)).get(beneficiary_id),
    )
    if refused is not None:
        raise NotInCourse(beneficiary_id, refused.reason, refused.detail)


async def close_for_withdrawal(uow: TrainingUnitOfWork, beneficiary_id: UUID, at: datetime) -> int:
    """Withdrawal closes the person's open courses: an individual course closes, a cohort course's
    participation closes; both keep their attendance."""
    person = await uow.projection.participant(beneficiary_id)
    cohorts = person.cohort_ids if person is not None else frozenset()
    closed = 0
    for course in await uow.courses.courses_of(beneficiary_id, cohorts):
        if course.status is CourseStatus.CLOSED:
            continue
        if beneficiary_id in await uow.courses.closed_participations(course.id):
            continue
        await uow.courses.close_participation(
            {
                "course_id": course.id,
                "beneficiary_id": beneficiary_id,
                "status": ParticipationStatus.WITHDRAWN.value,
                "closed_at": at,
                "hours_waived": False,
                "waiver_reason": None,
                "closed_by": None,
            }
        )
        if course.beneficiary_id == beneficiary_id:
            await uow.courses.set_status(course.id, CourseStatus.CLOSED)
        closed += 1
    return closed
