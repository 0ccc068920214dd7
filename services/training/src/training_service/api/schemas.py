"""Request and response bodies. Inputs are strict; hours are decimals with two places."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, ConfigDict, Field, RootModel, WithJsonSchema, field_validator, model_validator
from pydantic.config import JsonDict
from pydantic.json_schema import SkipJsonSchema

from hopekit.api.schemas import Name, Reference, RequestModel, ResponseModel
from training_service.domain.course import Course, Session
from training_service.domain.vocabulary import (
    AttendanceStatus,
    SessionKind,
    Step,
)
from training_service.service_layer.attendance import Recording
from training_service.service_layer.rejections import Rejection

# As a number, or as a string of digits with at most two decimals (not "" nor "1e3", which are refused).
Hours = Annotated[
    Decimal,
    Field(ge=0, le=10_000, max_digits=7, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 10_000},
                {"type": "string", "pattern": r"^\d{1,5}(\.\d{1,2})?$"},
            ]
        }
    ),
]


_FOR_ONE_COHORT_OR_ONE_PERSON: JsonDict = {
    "oneOf": [
        {
            "required": ["cohort_id"],
            "properties": {"cohort_id": {"type": "string"}, "beneficiary_id": {"type": "null"}},
        },
        {
            "required": ["beneficiary_id"],
            "properties": {"beneficiary_id": {"type": "string"}, "cohort_id": {"type": "null"}},
        },
    ],
    "if": {"properties": {"step": {"not": {"const": int(Step.TRADE_QUALIFICATION)}}}},
    "then": {"properties": {"support_french_hours": {"type": "null"}}},
}


class CourseRequest(RequestModel):
    """For one cohort or one person, not both; French support hours on step 4 only."""

    # The service refuses the other shapes (422); the schema says so, so that a generated client cannot send them.
    model_config = ConfigDict(json_schema_extra=_FOR_ONE_COHORT_OR_ONE_PERSON)

    step: Step
    cohort_id: UUID | None = None
    beneficiary_id: UUID | None = Field(default=None, description="For a course on the individual track or step 1.")
    provider_org_id: UUID = Field(description="The delivering organisation.")
    planned_hours: Hours | None = Field(default=None, description="Defaults: step 1 200, step 3 400, step 4 450.")
    support_french_hours: Hours | None = Field(default=None, description="Step 4 only, counted apart.")
    starts_on: date
    ends_on: date


class CoursePlanRequest(RequestModel):
    """The values of the plan to change, at least one; the others stay. The course's sessions stay within its
    dates, and a cohort's course within the period its cohort's calendar plans for the step."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    # Absent keeps a value; null is not a value here (the document does not offer it; the service refuses it).
    planned_hours: Hours | SkipJsonSchema[None] = None
    support_french_hours: Hours | SkipJsonSchema[None] = Field(default=None, description="Step 4 only.")
    starts_on: date | SkipJsonSchema[None] = None
    ends_on: date | SkipJsonSchema[None] = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("leave the field out to keep its value")
        return value

    @model_validator(mode="after")
    def _something(self) -> CoursePlanRequest:
        if not self.model_fields_set:
            raise ValueError("give at least one of planned_hours, support_french_hours, starts_on, ends_on")
        return self


class CourseView(ResponseModel):
    id: UUID
    step: int
    track: str
    cohort_id: UUID | None
    beneficiary_id: UUID | None
    provider_org_id: UUID
    planned_hours: Decimal
    support_french_hours: Decimal | None
    starts_on: date
    ends_on: date
    status: str

    @classmethod
    def of(cls, course: Course) -> CourseView:
        return cls(
            id=course.id,
            step=int(course.step),
            track=course.track.value,
            cohort_id=course.cohort_id,
            beneficiary_id=course.beneficiary_id,
            provider_org_id=course.provider_org_id,
            planned_hours=course.planned_hours,
            support_french_hours=course.support_french_hours,
            starts_on=course.starts_on,
            ends_on=course.ends_on,
            status=course.status.value,
        )


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a session's times are the local time of the place, without a UTC offset")
    return value


# Local time without an offset, as the document says too: not JSON Schema's "time" format, which needs one.
WallClock = Annotated[
    time,
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
            "description": "Local time, HH:MM[:SS]",
        }
    ),
]


class SlotFields(RequestModel):
    starts_at: WallClock
    ends_at: WallClock
    hours: Hours | None = Field(default=None, description="Taught hours; defaults to the slot's length.")
    kind: SessionKind = SessionKind.CORE
    trainer: Name | None = None
    place: Reference | None = None


class SessionRequest(SlotFields):
    held_on: date


class WeeklyPatternRequest(SlotFields):
    starts_on: date = Field(alias="from")
    ends_on: date = Field(alias="until")
    weekdays: Annotated[list[Annotated[int, Field(ge=0, le=6)]], Field(min_length=1, max_length=7)] = Field(
        description="0 = Monday … 6 = Sunday"
    )
    days_off: Annotated[list[date], Field(max_length=400)] = []


class SessionView(ResponseModel):
    id: UUID
    course_id: UUID
    held_on: date
    starts_at: time
    ends_at: time
    hours: Decimal
    kind: str
    trainer: str | None
    place: str | None

    @classmethod
    def of(cls, session: Session) -> SessionView:
        return cls(
            id=session.id,
            course_id=session.course_id,
            held_on=session.held_on,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            hours=session.hours,
            kind=session.kind.value,
            trainer=session.trainer,
            place=session.place,
        )


class SessionList(RootModel[list[SessionView]]):
    """A weekly pattern's sessions as one document, so a retry with the same Idempotency-Key can replay it."""


class AttendanceLine(RequestModel):
    beneficiary_id: UUID
    status: AttendanceStatus
    hours_attended: Hours | None = Field(default=None, description="Defaults: the whole session if present, else 0.")


class SheetRequest(RequestModel):
    entries: Annotated[list[AttendanceLine], Field(min_length=1, max_length=500)]


class SheetLineView(ResponseModel):
    beneficiary_id: UUID
    status: str
    hours_attended: Decimal


class SheetView(ResponseModel):
    session_id: UUID
    session_hours: Decimal
    entries: list[SheetLineView]
    applied: int = 0
    unchanged: int = 0


class RejectionView(ResponseModel):
    """One refused row of an import: where, why as a code, and what is wrong as a sentence."""

    line: int | None = Field(description="The physical line of the file the row starts on.")
    beneficiary_id: UUID | None = Field(description="The row's person, when the row names one that can be read.")
    field: str | None = Field(
        description="The column at fault (beneficiary_id, date, start, status or hours); null when the row as a "
        "whole is refused (a wrong number of fields, a broken quote, an unreadable line)."
    )
    reason: str = Field(description="Why, as a code to branch on (e.g. not_in_cohort, invalid_hours).")
    message: str = Field(description="What is wrong, for a person.")
    detail: str = Field(description="The same as message, kept for clients written before it.", deprecated=True)

    @classmethod
    def of(cls, rejection: Rejection) -> RejectionView:
        return cls(
            line=rejection.line,
            beneficiary_id=rejection.beneficiary_id,
            field=rejection.field,
            reason=rejection.reason,
            message=rejection.message,
            detail=rejection.message,
        )


class RefusedEntryView(ResponseModel):
    """One refused entry of a sheet, in a 422 ``attendance-refused`` problem's ``errors``."""

    field: str = Field(description="The entry's field at fault, e.g. entries.2.hours_attended.")
    pointer: str = Field(description="The same as a JSON pointer into the request, e.g. /entries/2/hours_attended.")
    message: str = Field(description="What is wrong, for a person.")
    reason: str = Field(description="Why, as a code to branch on (e.g. not_in_cohort, hours_above_session).")
    line: int = Field(description="The entry's index in the request's entries.")
    beneficiary_id: UUID | None
    detail: str = Field(description="The same as message, kept for clients written before it.", deprecated=True)


class ImportReportView(ResponseModel):
    id: UUID = Field(description="The import: GET /v1/attendance-imports/{id}/rejections lists every rejected row.")
    course_id: UUID
    encoding: str
    delimiter: str
    all_or_nothing: bool
    committed: bool
    rows_read: int
    applied: int
    unchanged: int
    rejected: int
    rejected_by_reason: dict[str, int] = Field(description="How many rows were rejected, per reason.")
    sessions_published: int
    alerts_raised: int
    rejections: list[RejectionView] = Field(description="The first rejected rows by line (a bounded number).")
    rejections_complete: bool = Field(description="Whether ``rejections`` holds every rejected row.")

    @classmethod
    def of(
        cls,
        import_id: UUID,
        recording: Recording,
        *,
        encoding: str,
        delimiter: str,
        rows: int,
        atomic: bool,
        committed: bool,
        alerts: int,
    ) -> ImportReportView:
        shown = recording.rejections.first()
        return cls(
            id=import_id,
            course_id=recording.course.id,
            encoding=encoding,
            delimiter=delimiter,
            all_or_nothing=atomic,
            committed=committed,
            rows_read=rows,
            applied=recording.applied if committed else 0,
            unchanged=recording.unchanged,
            rejected=recording.rejections.count,
            rejected_by_reason=dict(sorted(recording.rejections.by_reason.items())),
            sessions_published=len(recording.sessions) if committed else 0,
            alerts_raised=alerts if committed else 0,
            rejections=[RejectionView.of(rejection) for rejection in shown],
            rejections_complete=len(shown) == recording.rejections.count,
        )


class AlertView(ResponseModel):
    id: UUID
    course_id: UUID
    beneficiary_id: UUID
    rule: str
    status: str
    consecutive_unexcused: int | None
    attendance_rate: Decimal | None
    raised_at: datetime
    resolved_at: datetime | None

    @classmethod
    def of(cls, alert: Any) -> AlertView:
        return cls(
            id=alert.id,
            course_id=alert.course_id,
            beneficiary_id=alert.beneficiary_id,
            rule=alert.rule.value,
            status=alert.status.value,
            consecutive_unexcused=alert.consecutive_unexcused,
            attendance_rate=alert.attendance_rate,
            raised_at=alert.raised_at,
            resolved_at=alert.resolved_at,
        )
