"""Opening courses, planning sessions and reading ledgers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from hopekit.errors import NotFound
from hopekit.identity.principal import Principal
from training_service.adapters.attendance import CourseMark, MarkTotal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.calendar import check_within
from training_service.domain.course import Course, Session, session_hours, weekly_days
from training_service.domain.errors import CourseConflict, SessionExists
from training_service.domain.ledger import HoursLedger, Mark, ledger
from training_service.domain.vocabulary import SessionKind, Step
from training_service.service_layer import access
from training_service.service_layer.schedule_events import course_scheduled, sessions_scheduled


async def create(
    uow: TrainingUnitOfWork,
    principal: Principal,
    *,
    step: Step,
    cohort_id: UUID | None,
    beneficiary_id: UUID | None,
    provider_org_id: UUID,
    planned_hours: Decimal | None,
    support_french_hours: Decimal | None,
    starts_on: date,
    ends_on: date,
) -> Course:
    course = Course.plan(
        course_id=uuid.uuid4(),
        step=step,
        cohort_id=cohort_id,
        beneficiary_id=beneficiary_id,
        provider_org_id=provider_org_id,
        planned_hours=planned_hours,
        support_french_hours=support_french_hours,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    await access.ensure_may_create(uow, principal, course)
    await _ensure_within_calendar(uow, course)
    if await uow.courses.find(cohort_id, beneficiary_id, step) is not None:
        raise CourseConflict(f"a step {int(step)} course already exists for this cohort or person")
    now = datetime.now(UTC)
    try:
        await uow.courses.add(course, principal.org_id, now)
    except IntegrityError as error:
        raise CourseConflict(f"a step {int(step)} course already exists for this cohort or person") from error
    uow.publish(course_scheduled(course, now))
    uow.audit(principal, "create", "course", course.id)
    return course


async def _ensure_within_calendar(uow: TrainingUnitOfWork, course: Course) -> None:
    """A cohort's course falls within the period enrolment planned for its step, once that period is known."""
    if course.cohort_id is not None:
        check_within(await uow.calendars.period(course.cohort_id, course.step), course.starts_on, course.ends_on)


async def load(
    uow: TrainingUnitOfWork, principal: Principal, course_id: UUID, *, write: bool = False, lock: bool = False
) -> Course:
    course = await uow.courses.get(course_id, lock=lock)
    if course is None:
        raise NotFound.of("course")
    (access.ensure_may_write if write else access.ensure_may_read)(principal, course)
    return course


@dataclass(frozen=True)
class PlanChange:
    """The values of a course's plan to change; None leaves one as it is."""

    planned_hours: Decimal | None = None
    support_french_hours: Decimal | None = None
    starts_on: date | None = None
    ends_on: date | None = None


async def replan(uow: TrainingUnitOfWork, principal: Principal, course_id: UUID, change: PlanChange) -> Course:
    """Changes a course's planned hours or dates and, when that changes anything, publishes its whole plan again:
    funding and reporting hold the hours and dates the course now has."""
    course = await load(uow, principal, course_id, write=True, lock=True)
    replanned = course.replan(
        planned_hours=change.planned_hours,
        support_french_hours=change.support_french_hours,
        starts_on=change.starts_on,
        ends_on=change.ends_on,
        sessions_held=await uow.courses.sessions_held(course.id),
    )
    if replanned.same_plan(course):
        return course
    await _ensure_within_calendar(uow, replanned)
    await uow.courses.update_plan(replanned)
    uow.publish(course_scheduled(replanned, datetime.now(UTC)))
    uow.audit(principal, "replan", "course", course.id)
    return replanned


async def sessions(uow: TrainingUnitOfWork, principal: Principal, course_id: UUID) -> list[Session]:
    course = await load(uow, principal, course_id)
    return list(await uow.courses.sessions_of(course.id))


async def search(
    uow: TrainingUnitOfWork,
    principal: Principal,
    *,
    step: Step | None,
    cohort_id: UUID | None,
    after_id: UUID | None,
    limit: int,
) -> list[Course]:
    scope = access.list_scope(principal)
    if scope.step is not None:
        if step not in (None, scope.step):
            return []
        step = scope.step
    return await uow.courses.search(
        provider_org_id=scope.provider_org_id, step=step, cohort_id=cohort_id, after_id=after_id, limit=limit
    )


@dataclass(frozen=True)
class SlotRequest:
    starts_at: time
    ends_at: time
    hours: Decimal | None
    kind: SessionKind
    trainer: str | None
    place: str | None


def _session(course: Course, day: date, slot: SlotRequest) -> Session:
    course.check_day(day)
    return Session(
        id=uuid.uuid4(),
        course_id=course.id,
        held_on=day,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        hours=session_hours(slot.starts_at, slot.ends_at, slot.hours),
        kind=slot.kind,
        trainer=slot.trainer,
        place=slot.place,
    )


async def add_sessions(
    uow: TrainingUnitOfWork, principal: Principal, course_id: UUID, days: Iterable[date], slot: SlotRequest
) -> list[Session]:
    course = await load(uow, principal, course_id, write=True, lock=True)
    created = [_session(course, day, slot) for day in days]
    try:
        await uow.courses.add_sessions(created)
    except IntegrityError as error:
        raise SessionExists("a session already starts at that time on one of these days") from error
    if created:
        uow.publish(sessions_scheduled(course, created, datetime.now(UTC)))
    uow.audit(principal, "create_sessions", "course", course.id, reason=str(len(created)))
    return created


def pattern_days(first: date, last: date, weekdays: Iterable[int], days_off: Iterable[date]) -> list[date]:
    return weekly_days(first, last, frozenset(weekdays), frozenset(days_off))


@dataclass(frozen=True)
class PersonLedger:
    beneficiary_id: UUID
    core: HoursLedger
    french_support: HoursLedger | None


def person_ledgers(
    course: Course, marks: Iterable[CourseMark | MarkTotal], people: Iterable[UUID]
) -> list[PersonLedger]:
    """Per person, the ledger of the core sessions and of the French support; the marks may come
    added up per status (a ledger only sums their hours)."""
    by_person: dict[UUID, tuple[list[Mark], list[Mark]]] = {person: ([], []) for person in people}
    for stored in marks:
        core, support = by_person.setdefault(stored.beneficiary_id, ([], []))
        mark = Mark(stored.status, stored.hours_attended, stored.session_hours)
        (support if stored.kind is SessionKind.FRENCH_SUPPORT else core).append(mark)
    return [
        PersonLedger(
            person,
            ledger(course.planned_hours, core),
            ledger(course.support_french_hours, support) if course.support_french_hours is not None else None,
        )
        for person, (core, support) in sorted(by_person.items())
    ]


async def course_ledgers(uow: TrainingUnitOfWork, course: Course) -> list[PersonLedger]:
    people: list[UUID] = []
    if course.beneficiary_id is not None:
        people = [course.beneficiary_id]
    elif course.cohort_id is not None:
        people = await uow.projection.members(course.cohort_id, int(course.step))
    return person_ledgers(course, await uow.attendance.mark_totals(course.id), people)


def total(ledgers: Iterable[PersonLedger]) -> HoursLedger:
    result = ledger(Decimal(0), [])
    for person in ledgers:
        result = result + person.core
    return result


async def person_ledger(uow: TrainingUnitOfWork, course: Course, beneficiary_id: UUID) -> PersonLedger:
    marks = await uow.attendance.mark_totals(course.id, [beneficiary_id])
    return person_ledgers(course, marks, [beneficiary_id])[0]
