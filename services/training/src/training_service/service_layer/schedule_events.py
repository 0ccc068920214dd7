"""What training tells the programme about its plans: a course's planned hours and dates (funding commits and
reporting counts from them) and the days it sits (support's catering). Times and hours only: the trainer and
the place stay here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hope_contracts import training as contract
from training_service.domain.course import Course, Session


def course_scheduled(course: Course, at: datetime) -> contract.CourseScheduled:
    """The course's whole plan, as it stands: sent when the course opens and each time the plan changes."""
    return contract.CourseScheduled(
        course_id=course.id,
        step=int(course.step),
        cohort_id=course.cohort_id,
        beneficiary_id=course.beneficiary_id,
        provider_org_id=course.provider_org_id,
        planned_hours=course.planned_hours,
        starts_on=course.starts_on,
        ends_on=course.ends_on,
        occurred_at=at,
    )


def sessions_scheduled(course: Course, added: Sequence[Session], at: datetime) -> contract.SessionsScheduled:
    """The sessions one action added (one, or a weekly pattern's worth)."""
    return contract.SessionsScheduled(
        course_id=course.id,
        step=int(course.step),
        cohort_id=course.cohort_id,
        beneficiary_id=course.beneficiary_id,
        sessions=tuple(
            contract.ScheduledSession(
                session_id=session.id,
                held_on=session.held_on,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                hours=session.hours,
                session_kind=session.kind.value,
            )
            for session in added
        ),
        occurred_at=at,
    )
