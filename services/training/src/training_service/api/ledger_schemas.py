"""The hours ledger as read per person, course and cohort, and a person's completion of a course."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from pydantic import Field

from hopekit.api.schemas import Note, RequestModel, ResponseModel
from training_service.domain.course import Course
from training_service.domain.ledger import HoursLedger
from training_service.service_layer.courses import PersonLedger


class LedgerView(ResponseModel):
    planned: Decimal
    scheduled: Decimal
    attended: Decimal
    excused: Decimal
    unexcused: Decimal
    remaining: Decimal
    completion_rate: Decimal
    attendance_rate: Decimal | None

    @classmethod
    def of(cls, found: HoursLedger) -> LedgerView:
        return cls(
            planned=found.planned,
            scheduled=found.scheduled,
            attended=found.attended,
            excused=found.excused,
            unexcused=found.unexcused,
            remaining=found.remaining,
            completion_rate=found.completion_rate,
            attendance_rate=found.attendance_rate,
        )


class PersonLedgerView(ResponseModel):
    beneficiary_id: UUID
    course_id: UUID
    step: int
    hours: LedgerView
    french_support: LedgerView | None

    @classmethod
    def of(cls, course: Course, found: PersonLedger) -> PersonLedgerView:
        return cls(
            beneficiary_id=found.beneficiary_id,
            course_id=course.id,
            step=int(course.step),
            hours=LedgerView.of(found.core),
            french_support=LedgerView.of(found.french_support) if found.french_support else None,
        )


class CourseLedgerView(ResponseModel):
    course_id: UUID
    step: int
    total: LedgerView
    people: list[PersonLedgerView]


class CohortLedgerView(ResponseModel):
    cohort_id: UUID
    courses: list[CourseLedgerView]


class CompletionRequest(RequestModel):
    waiver_reason: Note | None = Field(
        default=None,
        description="Required to complete step 4 before its hours are done. At step 3, short of its hours, it "
        "waives them: course-completed then tells enrolment that step 3's hours are done. Kept in training.",
    )
