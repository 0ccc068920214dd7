"""Whether a person may have attendance in a course, from what enrolment told us."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from training_service.domain.course import Course


@dataclass(frozen=True)
class Refusal:
    reason: str
    detail: str


def refusal(
    course: Course,
    beneficiary_id: UUID,
    *,
    known: bool,
    withdrawn: bool,
    steps: frozenset[int],
    cohort_ids: frozenset[UUID],
    closed: str | None,
) -> Refusal | None:
    """None when the person is in the course, else why not (a code and a sentence)."""
    if course.beneficiary_id is not None and beneficiary_id != course.beneficiary_id:
        return Refusal("not_course_beneficiary", "this individual course belongs to another person")
    if not known:
        return Refusal("unknown_beneficiary", "enrolment has told us nothing about this person")
    if withdrawn:
        return Refusal("withdrawn", "the person has withdrawn from the pathway")
    if course.cohort_id is not None and course.cohort_id not in cohort_ids:
        return Refusal("not_in_cohort", f"the person is not a member of cohort {course.cohort_id}")
    if int(course.step) not in steps:
        return Refusal("step_not_started", f"the person has not started step {int(course.step)}")
    if closed is not None:
        return Refusal(f"participation_{closed}", f"the person's participation in this course is {closed}")
    return None


def before_joining(course: Course, joined_on: date | None, day: date) -> Refusal | None:
    """A cohort's course takes attendance from a member from the day they joined the cohort (when known)."""
    if course.cohort_id is None or joined_on is None or day >= joined_on:
        return None
    return Refusal(
        "before_joining_cohort", f"the session on {day} is before the person joined the cohort (on {joined_on})"
    )
