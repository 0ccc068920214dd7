"""One row of an attendance sheet checked against the course: the person, the session (by date and, when
several share a day, start), the status and the hours; a mark to apply or a rejection with its reason."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Final, TypeVar
from uuid import UUID

from training_service.domain.course import Course, Session
from training_service.domain.vocabulary import AttendanceStatus
from training_service.service_layer.attendance import MarkInput
from training_service.service_layer.rejections import Rejection

_CACHE_LIMIT = 20_000
_NOT_A_NUMBER: Final = Decimal("NaN")
REQUIRED = ("beneficiary_id", "date", "status")
ALIASES = {
    "beneficiary_id": "beneficiary_id",
    "beneficiaire": "beneficiary_id",
    "date": "date",
    "held_on": "date",
    "session_date": "date",
    "start": "start",
    "starts_at": "start",
    "heure_debut": "start",
    "status": "status",
    "statut": "status",
    "hours": "hours",
    "hours_attended": "hours",
    "heures": "hours",
}
_STATUSES = {
    "present": AttendanceStatus.PRESENT,
    "présent": AttendanceStatus.PRESENT,
    "p": AttendanceStatus.PRESENT,
    "excused": AttendanceStatus.EXCUSED,
    "excusé": AttendanceStatus.EXCUSED,
    "absence_justifiee": AttendanceStatus.EXCUSED,
    "e": AttendanceStatus.EXCUSED,
    "unexcused": AttendanceStatus.UNEXCUSED,
    "absent": AttendanceStatus.UNEXCUSED,
    "absence_injustifiee": AttendanceStatus.UNEXCUSED,
    "a": AttendanceStatus.UNEXCUSED,
}


def _date(value: str) -> date:
    value = value.strip()
    if "/" in value:
        return datetime.strptime(value, "%d/%m/%Y").date()
    return date.fromisoformat(value)


def _time(value: str) -> time:
    value = value.strip().lower().replace("h", ":")
    if value.endswith(":"):
        value += "00"
    return time.fromisoformat(value if len(value) > 4 else "0" + value)


def _hours(value: str) -> Decimal | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number


# A session, or why none: the reason, its message and the field at fault.
Slot = Session | tuple[str, str, str]


class RowChecker:
    """Turns one record into a mark to apply or a rejection; the answers for a date, a time, a person
    id or an hours value are remembered, as a sheet repeats them on every row."""

    def __init__(self, course: Course, sessions: list[Session], names: list[str | None]) -> None:
        self._course = course
        self._by_day: dict[date, list[Session]] = {}
        for session in sessions:
            self._by_day.setdefault(session.held_on, []).append(session)
        self._width = len(names)
        position = {name: index for index, name in enumerate(names) if name is not None}
        self._person_at = position["beneficiary_id"]
        self._date_at = position["date"]
        self._status_at = position["status"]
        self._start_at = position.get("start")
        self._hours_at = position.get("hours")
        self._people: dict[str, UUID | None] = {}
        self._slots: dict[tuple[str, str], Slot] = {}
        self._statuses: dict[str, AttendanceStatus | None] = {}
        self._hours: dict[str, Decimal | None] = {}

    def check(self, number: int, fields: list[str]) -> MarkInput | Rejection:
        if len(fields) != self._width:
            return Rejection(number, None, "wrong_field_count", f"expected {self._width} fields, found {len(fields)}")
        person = self._person(fields[self._person_at])
        if person is None:
            return Rejection(number, None, "invalid_beneficiary_id", "beneficiary_id is not a UUID", "beneficiary_id")
        start = fields[self._start_at] if self._start_at is not None else ""
        slot = self._slot(fields[self._date_at], start)
        if not isinstance(slot, Session):
            return Rejection(number, person, *slot)
        status = self._status(fields[self._status_at])
        if status is None:
            return Rejection(number, person, "invalid_status", "status is present, excused or unexcused", "status")
        attended = self._attended(fields[self._hours_at]) if self._hours_at is not None else None
        if attended is not None and attended.is_nan():
            return Rejection(number, person, "invalid_hours", "hours is not a number such as 3,5", "hours")
        return MarkInput(slot, person, status, attended, number)

    def _person(self, text: str) -> UUID | None:
        try:
            return self._people[text]
        except KeyError:
            pass
        try:
            found: UUID | None = UUID(text.strip())
        except ValueError:
            found = None
        return _remember(self._people, text, found)

    def _slot(self, day_text: str, start_text: str) -> Slot:
        key = (day_text, start_text)
        try:
            return self._slots[key]
        except KeyError:
            return _remember(self._slots, key, self._find_slot(day_text, start_text.strip()))

    def _find_slot(self, day_text: str, start_text: str) -> Slot:
        course = self._course
        try:
            day = _date(day_text)
        except ValueError:
            return ("invalid_date", "date is neither YYYY-MM-DD nor DD/MM/YYYY", "date")
        if not course.starts_on <= day <= course.ends_on:
            return (
                "date_outside_course",
                f"{day} is outside the course ({course.starts_on} to {course.ends_on})",
                "date",
            )
        on_the_day = candidates = self._by_day.get(day, [])
        if start_text:
            try:
                start = _time(start_text)
            except ValueError:
                return ("invalid_start", "start is not a time such as 09:00", "start")
            candidates = [session for session in candidates if session.starts_at == start]
        if not candidates:
            return ("no_session", f"the course has no session on {day} at that time", "start" if on_the_day else "date")
        if len(candidates) > 1:
            return ("ambiguous_session", f"several sessions on {day}: give the start", "start")
        return candidates[0]

    def _status(self, text: str) -> AttendanceStatus | None:
        try:
            return self._statuses[text]
        except KeyError:
            return _remember(self._statuses, text, _STATUSES.get(text.strip().lower()))

    def _attended(self, text: str) -> Decimal | None:
        """The hours given, None when left blank, NaN when not a number."""
        try:
            return self._hours[text]
        except KeyError:
            pass
        try:
            found = _hours(text)
        except InvalidOperation:
            found = _NOT_A_NUMBER
        return _remember(self._hours, text, found)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value
