"""Recording attendance: checked per line, written in bulk, published once per session sheet.

``apply`` is shared by the sheet endpoint and the CSV import: it checks who is in the course, the
hours, writes only what changed (a correction keeps the previous value and who had recorded it) and
remembers which sessions and people were touched; ``finish`` then publishes one event per touched
session and evaluates the absence alerts of the touched people.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from hope_contracts import training as contract
from hopekit.errors import NotFound, ServiceError
from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain import alerts
from training_service.domain.course import Course, Session
from training_service.domain.eligibility import Refusal, before_joining, refusal
from training_service.domain.errors import DomainError
from training_service.domain.ledger import Mark
from training_service.domain.vocabulary import AlertRule, AlertStatus, AttendanceStatus, SessionKind
from training_service.service_layer import courses
from training_service.service_layer.rejections import Rejection, RejectionLog


@dataclass(frozen=True)
class MarkInput:
    session: Session
    beneficiary_id: UUID
    status: AttendanceStatus
    hours_attended: Decimal | None
    line: int | None = None


@dataclass
class Recording:
    """What one recording (a sheet or a whole import) did so far."""

    course: Course
    principal: Principal
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    applied: int = 0
    unchanged: int = 0
    rejections: RejectionLog = field(default_factory=RejectionLog)
    sessions: dict[UUID, Session] = field(default_factory=dict)
    people: set[UUID] = field(default_factory=set)
    _closed: dict[UUID, str] | None = None
    _refusals: dict[UUID, Refusal | None] = field(default_factory=dict)
    _joined_on: dict[UUID, date] = field(default_factory=dict)


class SheetRefused(ServiceError):
    """A sheet is recorded whole or not at all: every refused line is reported, with its pointer."""

    category = "unprocessable"
    code = "attendance_refused"

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        super().__init__(f"{len(rejections)} line(s) refused; nothing was recorded.")
        self.rejections = list(rejections)

    def details(self) -> dict[str, Any]:
        return {"errors": [_refused_entry(rejection) for rejection in self.rejections]}


# A sheet's entry names the hours ``hours_attended``; an import's column is ``hours``.
_ENTRY_FIELDS = {"hours": "hours_attended"}


def _refused_entry(rejection: Rejection) -> dict[str, Any]:
    """One refused entry, in the platform's shape of a refused field (``field``, ``pointer``, ``message``) with
    the sheet's own facts; ``detail`` repeats ``message`` for clients written before it."""
    path = ["entries", str(rejection.line)]
    if rejection.field is not None:
        path.append(_ENTRY_FIELDS.get(rejection.field, rejection.field))
    return {
        "field": ".".join(path),
        "pointer": "/" + "/".join(path),
        "message": rejection.message,
        "reason": rejection.reason,
        "line": rejection.line,
        "beneficiary_id": str(rejection.beneficiary_id) if rejection.beneficiary_id else None,
        "detail": rejection.message,
    }


@dataclass(frozen=True)
class SheetLine:
    beneficiary_id: UUID
    status: AttendanceStatus
    hours_attended: Decimal | None


SheetEntry = tuple[UUID, AttendanceStatus, Decimal]


async def read_sheet(
    uow: TrainingUnitOfWork, principal: Principal, session_id: UUID
) -> tuple[Session, list[SheetEntry]]:
    """A session and its sheet, for a caller who may see the session's course."""
    session, _ = await _visible_session(uow, principal, session_id)
    return session, list(await uow.attendance.sheet(session.id))


async def _visible_session(
    uow: TrainingUnitOfWork, principal: Principal, session_id: UUID, write: bool = False
) -> tuple[Session, Course]:
    """A session and its course, which the caller may see (and write, if asked); any other session is a missing
    session, not a missing course."""
    session = await uow.courses.session(session_id)
    if session is None:
        raise NotFound.of("session")
    try:
        course = await courses.load(uow, principal, session.course_id, write=write)
    except NotFound:
        raise NotFound.of("session") from None
    return session, course


@dataclass(frozen=True)
class RecordedSheet:
    session: Session
    entries: list[SheetEntry]
    applied: int
    unchanged: int


async def record_sheet(
    uow: TrainingUnitOfWork, principal: Principal, session_id: UUID, lines: Sequence[SheetLine], threshold: Decimal
) -> RecordedSheet:
    """Records (or corrects) a session's sheet as a whole: one refused line refuses the sheet, with every reason;
    then publishes it and raises the alerts now due."""
    session, course = await _visible_session(uow, principal, session_id, write=True)
    recording = Recording(course, principal)
    marks = [
        MarkInput(session, line.beneficiary_id, line.status, line.hours_attended, index)
        for index, line in enumerate(lines)
    ]
    await apply(uow, recording, marks)
    if recording.rejections:
        raise SheetRefused(recording.rejections.first())
    await finish(uow, recording, threshold)
    entries = list(await uow.attendance.sheet(session.id))
    return RecordedSheet(session, entries, recording.applied, recording.unchanged)


# A sheet repeats the same few marks (present for the whole session, absent...): check each once.
_checked_mark = functools.lru_cache(maxsize=4096)(Mark.of)
_SHEETS_AT_ONCE = 200
_RUN_SESSIONS = 50
_PEOPLE_REMEMBERED = 50_000


async def apply(uow: TrainingUnitOfWork, recording: Recording, inputs: Sequence[MarkInput]) -> None:
    course = recording.course
    if recording._closed is None:
        recording._closed = await uow.courses.closed_participations(course.id)
    closed = recording._closed
    refusals, joined_on = recording._refusals, recording._joined_on
    unseen = list({item.beneficiary_id for item in inputs} - refusals.keys())
    if unseen:
        if len(refusals) > _PEOPLE_REMEMBERED:
            refusals.clear()
            joined_on.clear()
            unseen = list({item.beneficiary_id for item in inputs})
        people = await uow.projection.participants(unseen)
        for beneficiary_id in unseen:
            person = people.get(beneficiary_id)
            if person is not None and course.cohort_id in person.joined_on:
                joined_on[beneficiary_id] = person.joined_on[course.cohort_id]
            refusals[beneficiary_id] = refusal(
                course,
                beneficiary_id,
                known=person is not None,
                withdrawn=person.withdrawn if person else False,
                steps=person.steps if person else frozenset(),
                cohort_ids=person.cohort_ids if person else frozenset(),
                closed=closed.get(beneficiary_id),
            )
    valid: dict[tuple[UUID, UUID], tuple[MarkInput, Mark]] = {}
    for item in inputs:
        refused = refusals[item.beneficiary_id] or before_joining(
            course, joined_on.get(item.beneficiary_id), item.session.held_on
        )
        if refused is not None:
            recording.rejections.append(
                Rejection(item.line, item.beneficiary_id, refused.reason, refused.detail, "beneficiary_id")
            )
            continue
        try:
            mark = _checked_mark(item.status, item.session.hours, item.hours_attended)
        except DomainError as error:
            recording.rejections.append(Rejection(item.line, item.beneficiary_id, error.code, error.detail, "hours"))
            continue
        key = (item.session.id, item.beneficiary_id)
        if key in valid:
            first = valid[key][0].line
            recording.rejections.append(
                Rejection(
                    item.line,
                    item.beneficiary_id,
                    "duplicate_row",
                    f"same person and session as line {first}",
                    "beneficiary_id",
                )
            )
            continue
        valid[key] = (item, mark)
    stored = await uow.attendance.existing(valid)
    principal, at = recording.principal, recording.at
    rows: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    for key, (item, mark) in valid.items():
        previous = stored.get(key)
        if previous is not None and previous.status is mark.status and previous.hours_attended == mark.hours_attended:
            recording.unchanged += 1
            continue
        rows.append(
            {
                "session_id": item.session.id,
                "beneficiary_id": item.beneficiary_id,
                "course_id": course.id,
                "status": mark.status.value,
                "hours_attended": mark.hours_attended,
                "recorded_at": at,
                "recorded_by": principal.subject,
                "recorded_by_org_id": principal.org_id,
            }
        )
        if previous is not None:
            corrections.append(
                {
                    "id": uuid.uuid4(),
                    "session_id": item.session.id,
                    "beneficiary_id": item.beneficiary_id,
                    "previous_status": previous.status.value,
                    "previous_hours": previous.hours_attended,
                    "previous_recorded_by": previous.recorded_by,
                    "status": mark.status.value,
                    "hours_attended": mark.hours_attended,
                    "changed_at": at,
                    "changed_by": principal.subject,
                    "changed_by_org_id": principal.org_id,
                }
            )
        recording.sessions[item.session.id] = item.session
        recording.people.add(item.beneficiary_id)
    await uow.attendance.write(rows, corrections)
    recording.applied += len(rows)


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


async def finish(uow: TrainingUnitOfWork, recording: Recording, threshold: Decimal) -> int:
    """Publish the touched sheets and raise the alerts now due; the number of alerts raised."""
    course = recording.course
    touched = sorted(recording.sessions.values(), key=lambda s: (s.held_on, s.starts_at))
    for start in range(0, len(touched), _SHEETS_AT_ONCE):
        chunk = touched[start : start + _SHEETS_AT_ONCE]
        sheets = await uow.attendance.sheets([session.id for session in chunk])
        for session in chunk:
            uow.publish(attendance_recorded(course, session, sheets[session.id], recording.at))
    if not recording.people:
        return 0
    return await raise_alerts(uow, course, sorted(recording.people), threshold, recording.at)


async def _alert_marks(
    uow: TrainingUnitOfWork, course: Course, people: list[UUID], today: date
) -> dict[UUID, list[alerts.DatedMark]]:
    """The core marks the absence rules look at, read from the latest session backwards: every mark of
    the rate window, then older ones only for people whose run of unexcused absences has not ended
    yet. Two years of marks stay in the database; each read goes by session, as the key is laid out."""
    held = [s for s in await uow.courses.sessions_of(course.id, last=today) if s.kind is SessionKind.CORE]
    held.reverse()
    window_after = today - alerts.RATE_WINDOW
    size = max(_RUN_SESSIONS, sum(1 for session in held if session.held_on > window_after))
    found: dict[UUID, list[tuple[Session, Mark]]] = {}
    open_runs = list(people)
    start = 0
    while open_runs and start < len(held):
        chunk = {session.id: session for session in held[start : start + size]}
        start += size
        for session_id, person, status, attended in await uow.attendance.marks_at(list(chunk), open_runs):
            session = chunk[session_id]
            found.setdefault(person, []).append((session, Mark(status, attended, session.hours)))
        ended = {
            person
            for person, marks in found.items()
            if any(not alerts.DatedMark(session.held_on, mark).is_unexcused_absence for session, mark in marks)
        }
        open_runs = [person for person in open_runs if person not in ended]
        size = _RUN_SESSIONS
    return {
        person: [
            alerts.DatedMark(session.held_on, mark)
            for session, mark in sorted(marks, key=lambda found: (found[0].held_on, found[0].starts_at))
        ]
        for person, marks in found.items()
    }


async def raise_alerts(
    uow: TrainingUnitOfWork, course: Course, people: list[UUID], threshold: Decimal, at: datetime
) -> int:
    marks = await _alert_marks(uow, course, people, at.date())
    open_rules: dict[UUID, set[AlertRule]] = {}
    resolved_on: dict[UUID, dict[AlertRule, Any]] = {}
    for alert in await uow.alerts.of_course(course.id, people):
        if alert.status is AlertStatus.OPEN:
            open_rules.setdefault(alert.beneficiary_id, set()).add(alert.rule)
        elif alert.resolved_at is not None:
            resolved_on.setdefault(alert.beneficiary_id, {})[alert.rule] = alert.resolved_at.date()
    rows: list[dict[str, Any]] = []
    for person, found in marks.items():
        for finding in alerts.evaluate(
            found,
            at.date(),
            threshold=threshold,
            open_rules=frozenset(open_rules.get(person, ())),
            resolved_on=resolved_on.get(person),
        ):
            alert_id = uuid.uuid4()
            rows.append(
                {
                    "id": alert_id,
                    "course_id": course.id,
                    "beneficiary_id": person,
                    "rule": finding.rule.value,
                    "status": AlertStatus.OPEN.value,
                    "consecutive_unexcused": finding.consecutive_unexcused,
                    "attendance_rate": finding.attendance_rate,
                    "raised_at": at,
                }
            )
            uow.publish(
                contract.AbsenceAlertRaised(
                    alert_id=alert_id,
                    beneficiary_id=person,
                    course_id=course.id,
                    step=int(course.step),
                    rule=finding.rule.value,
                    consecutive_unexcused=finding.consecutive_unexcused,
                    attendance_rate=finding.attendance_rate,
                    occurred_at=at,
                )
            )
    await uow.alerts.add(rows)
    return len(rows)
