"""Reading the hours ledgers: per course, per person in a course, per person across courses, per cohort."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.course import Course
from training_service.domain.ledger import HoursLedger
from training_service.service_layer import access, courses
from training_service.service_layer.courses import PersonLedger

# How many of a cohort's courses its ledger covers (a cohort has one course per step it goes through).
_COHORT_COURSES = 10


@dataclass(frozen=True)
class CourseLedger:
    course: Course
    total: HoursLedger
    people: list[PersonLedger]


async def _course_ledger(uow: TrainingUnitOfWork, course: Course) -> CourseLedger:
    people = await courses.course_ledgers(uow, course)
    return CourseLedger(course, courses.total(people), people)


async def course_ledger(uow: TrainingUnitOfWork, principal: Principal, course_id: UUID) -> CourseLedger:
    return await _course_ledger(uow, await courses.load(uow, principal, course_id))


async def person_ledger(
    uow: TrainingUnitOfWork, principal: Principal, course_id: UUID, beneficiary_id: UUID
) -> tuple[Course, PersonLedger]:
    course = await courses.load(uow, principal, course_id)
    await access.ensure_not_erased(uow, beneficiary_id)
    return course, await courses.person_ledger(uow, course, beneficiary_id)


async def beneficiary_ledgers(
    uow: TrainingUnitOfWork, principal: Principal, beneficiary_id: UUID
) -> list[tuple[Course, PersonLedger]]:
    """The person's hours per step, over the courses the caller may see."""
    visible = await access.person_courses(uow, principal, beneficiary_id)
    return [(course, await courses.person_ledger(uow, course, beneficiary_id)) for course in visible]


async def cohort_ledger(uow: TrainingUnitOfWork, principal: Principal, cohort_id: UUID) -> list[CourseLedger]:
    await access.ensure_may_read_cohort(uow, principal, cohort_id)
    found = await courses.search(uow, principal, step=None, cohort_id=cohort_id, after_id=None, limit=_COHORT_COURSES)
    return [await _course_ledger(uow, course) for course in found]
