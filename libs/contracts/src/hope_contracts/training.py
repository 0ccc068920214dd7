"""Events published by the training service on ``hope.training.events``: ids, codes, dates and hours only."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hope_contracts.base import EventContract
from hope_contracts.codes import LanguageTest

StepNumber = Literal[1, 3, 4]
AttendanceStatus = Literal["present", "excused", "unexcused"]
SessionKind = Literal["core", "french_support"]
Skill = Literal["overall", "listening", "reading", "writing", "speaking"]
CefrLevel = Literal["pre_A1", "A1", "A2", "B1", "B2", "C1", "C2"]
QualificationResult = Literal["awarded", "partially_awarded", "failed"]
AlertRule = Literal["consecutive_unexcused", "low_attendance_rate"]
# A strict format, not a closed list: the national register (RNCP) has thousands of entries.
RncpCode = Annotated[str, StringConstraints(pattern=r"^RNCP\d{1,6}$")]


class AttendanceEntry(BaseModel):
    """One person's line on a session sheet."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    beneficiary_id: UUID
    status: AttendanceStatus
    hours_attended: Decimal = Field(decimal_places=2)


class AttendanceRecorded(EventContract):
    """The current sheet of one session, sent each time a recording or an import changed it."""

    event_type: ClassVar[str] = "fr.hope.training.session.attendance_recorded.v1"
    subject_field: ClassVar[str] = "session_id"

    session_id: UUID
    course_id: UUID
    step: StepNumber
    cohort_id: UUID | None = None
    held_on: date
    session_hours: Decimal = Field(decimal_places=2)
    session_kind: SessionKind
    entries: tuple[AttendanceEntry, ...]
    occurred_at: datetime


class LanguageLevelAttested(EventContract):
    event_type: ClassVar[str] = "fr.hope.training.assessment.language_level_attested.v1"
    subject_field: ClassVar[str] = "assessment_id"

    assessment_id: UUID
    beneficiary_id: UUID
    skill: Skill
    level: CefrLevel
    test: LanguageTest
    assessed_on: date
    assessing_org_id: UUID
    occurred_at: datetime


class QualificationAwarded(EventContract):
    event_type: ClassVar[str] = "fr.hope.training.qualification.awarded.v1"
    subject_field: ClassVar[str] = "qualification_id"

    qualification_id: UUID
    beneficiary_id: UUID
    course_id: UUID | None = None
    rncp_code: RncpCode
    result: QualificationResult
    awarded_on: date
    occurred_at: datetime


class CourseCompleted(EventContract):
    """One person finished one course (per person: a cohort's members finish at their own pace)."""

    event_type: ClassVar[str] = "fr.hope.training.course.completed.v1"
    subject_field: ClassVar[str] = "course_id"

    course_id: UUID
    beneficiary_id: UUID
    step: StepNumber
    cohort_id: UUID | None = None
    planned_hours: Decimal = Field(decimal_places=2)
    attended_hours: Decimal = Field(decimal_places=2)
    hours_waived: bool
    occurred_at: datetime


class AbsenceAlertRaised(EventContract):
    event_type: ClassVar[str] = "fr.hope.training.absence_alert.raised.v1"
    subject_field: ClassVar[str] = "alert_id"

    alert_id: UUID
    beneficiary_id: UUID
    course_id: UUID
    step: StepNumber
    rule: AlertRule
    consecutive_unexcused: int | None = None
    attendance_rate: Decimal | None = Field(default=None, decimal_places=4)
    occurred_at: datetime


class CourseScheduled(EventContract):
    """A course was opened, or its plan changed (sent again whole): funding commits and reporting counts its
    planned hours from it."""

    event_type: ClassVar[str] = "fr.hope.training.course.scheduled.v1"
    subject_field: ClassVar[str] = "course_id"

    course_id: UUID
    step: StepNumber
    cohort_id: UUID | None = None  # a cohort's course, or
    beneficiary_id: UUID | None = None  # one person's (individual track)
    provider_org_id: UUID
    planned_hours: Decimal = Field(decimal_places=2)
    starts_on: date
    ends_on: date
    occurred_at: datetime


class ScheduledSession(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    session_id: UUID
    held_on: date
    starts_at: time
    ends_at: time
    hours: Decimal = Field(decimal_places=2)
    session_kind: SessionKind


class SessionsScheduled(EventContract):
    """Sessions added to a course (one, or a weekly pattern's worth): the days people are in training, which
    support's catering needs. Times only: no trainer, no place."""

    event_type: ClassVar[str] = "fr.hope.training.course.sessions_scheduled.v1"
    subject_field: ClassVar[str] = "course_id"

    course_id: UUID
    step: StepNumber
    cohort_id: UUID | None = None
    beneficiary_id: UUID | None = None
    sessions: tuple[ScheduledSession, ...]
    occurred_at: datetime
