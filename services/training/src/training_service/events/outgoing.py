"""The published contracts (hope_contracts.training), built from this service's state: codes and ids only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from hope_contracts import training as contract
from training_service.domain.course import Course, Session
from training_service.domain.vocabulary import AttendanceStatus


def attendance_recorded(
    course: Course, session: Session, sheet: Sequence[tuple[UUID, AttendanceStatus, Decimal]], at: datetime
) -> contract.AttendanceRecorded:
    return contract.AttendanceRecorded(
        session_id=session.id,
        course_id=course.id,
        step=int(course.step),
        cohort_id=course.cohort_id,
        held_on=session.held_on,
        session_hours=session.hours,
        session_kind=session.kind.value,
        entries=tuple(
            contract.AttendanceEntry(beneficiary_id=person, status=status.value, hours_attended=attended)
            for person, status, attended in sheet
        ),
        occurred_at=at,
    )
