"""The dropout-risk list: people whose warning signals add up, each with its reasons, for their support provider.

The signals, each from the read models (no identity, no health):

- ``open_absence_alert``: training raised an absence alert in the last ``ALERT_OPEN_DAYS`` days and the person
  has not been present at a session since (no event closes an alert);
- ``falling_attendance``: the attendance rate of the latest month with sessions (in the last two) is at least
  ``FALL`` below the rate of the three months before it;
- ``no_housing_next_week``: housed tonight, but no placement covers the night a week from now;
- ``administrative_need_overdue``: an administrative need open for more than ``NEED_DUE_DAYS`` days (needs carry
  no due date on the bus: this is the programme's usual delay for a paper to be sorted).

A person is listed from ``min_signals`` signals on (two by default: one alone is the everyday life of a path).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

SIGNALS = ("open_absence_alert", "falling_attendance", "no_housing_next_week", "administrative_need_overdue")
ALERT_OPEN_DAYS = 14
NEED_DUE_DAYS = 30
FALL = Decimal("0.15")
DEFAULT_MIN_SIGNALS = 2


@dataclass(frozen=True)
class MonthOfAttendance:
    month: date
    recorded: Decimal
    attended: Decimal


@dataclass(frozen=True)
class PersonAtRisk:
    id: UUID
    reasons: tuple[str, ...]


def falling(months: Sequence[MonthOfAttendance], today: date) -> bool:
    """The latest month with sessions, if it is this month or the last, against the three before it."""
    recorded = sorted((m for m in months if m.recorded > 0), key=lambda m: m.month)
    if len(recorded) < 2:
        return False
    latest, before = recorded[-1], recorded[-4:-1]
    if (today.year * 12 + today.month) - (latest.month.year * 12 + latest.month.month) > 1:
        return False
    earlier = sum((m.attended for m in before), Decimal(0)) / sum((m.recorded for m in before), Decimal(0))
    return latest.attended / latest.recorded <= earlier - FALL


def at_risk(signals: Mapping[str, Iterable[UUID]], min_signals: int = DEFAULT_MIN_SIGNALS) -> list[PersonAtRisk]:
    """Everyone with at least ``min_signals`` signals, by id, each with its reasons in the order of SIGNALS."""
    reasons: dict[UUID, list[str]] = {}
    for signal in SIGNALS:
        for person in set(signals.get(signal, ())):
            reasons.setdefault(person, []).append(signal)
    return [
        PersonAtRisk(person, tuple(found)) for person, found in sorted(reasons.items()) if len(found) >= min_signals
    ]
