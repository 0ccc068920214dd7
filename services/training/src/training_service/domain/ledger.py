"""The hours ledger: planned, attended, excused, unexcused, remaining and completion rate.

A mark's status qualifies the hours the person missed: attending 3 of a session's 4 hours as
``present`` leaves 1 unexcused hour, as ``excused`` (left for an appointment) 1 excused hour.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from training_service.domain.errors import HoursAboveSession, InvalidValue
from training_service.domain.vocabulary import AttendanceStatus

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
RATE = Decimal("0.0001")


def hours(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Mark:
    """One person's attendance at one session."""

    status: AttendanceStatus
    hours_attended: Decimal
    session_hours: Decimal

    @classmethod
    def of(cls, status: AttendanceStatus, session_hours: Decimal, hours_attended: Decimal | None = None) -> Mark:
        """Check a mark; without hours, ``present`` means the whole session and an absence none of it."""
        session_hours = hours(session_hours)
        if hours_attended is None:
            hours_attended = session_hours if status is AttendanceStatus.PRESENT else ZERO
        attended = hours(hours_attended)
        if attended < 0:
            raise InvalidValue("hours_attended", "must not be negative")
        if attended > session_hours:
            raise HoursAboveSession(attended, session_hours)
        if status is AttendanceStatus.PRESENT and attended == 0:
            raise InvalidValue("hours_attended", "a present person attended some of the session")
        return cls(status, attended, session_hours)

    @property
    def missed(self) -> Decimal:
        return self.session_hours - self.hours_attended


@dataclass(frozen=True)
class HoursLedger:
    planned: Decimal
    scheduled: Decimal
    attended: Decimal
    excused: Decimal
    unexcused: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.planned - self.attended, ZERO)

    @property
    def completion_rate(self) -> Decimal:
        """Share of the planned hours attended, between 0 and 1."""
        if self.planned <= 0:
            return Decimal("0.0000")
        return min(self.attended / self.planned, Decimal(1)).quantize(RATE, rounding=ROUND_HALF_UP)

    @property
    def attendance_rate(self) -> Decimal | None:
        """Share of the hours held so far that were attended."""
        if self.scheduled <= 0:
            return None
        return (self.attended / self.scheduled).quantize(RATE, rounding=ROUND_HALF_UP)

    def __add__(self, other: HoursLedger) -> HoursLedger:
        return HoursLedger(
            self.planned + other.planned,
            self.scheduled + other.scheduled,
            self.attended + other.attended,
            self.excused + other.excused,
            self.unexcused + other.unexcused,
        )


def ledger(planned: Decimal, marks: Iterable[Mark]) -> HoursLedger:
    scheduled = attended = excused = unexcused = ZERO
    for mark in marks:
        scheduled += mark.session_hours
        attended += mark.hours_attended
        if mark.status is AttendanceStatus.EXCUSED:
            excused += mark.missed
        else:
            unexcused += mark.missed
    return HoursLedger(hours(planned), scheduled, attended, excused, unexcused)
