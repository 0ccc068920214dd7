"""Absence alerts: three unexcused absences in a row, or a low attendance rate over four weeks.

An alert is raised once and stays open until someone resolves it; after a resolution only the
sessions held after it count towards the same rule again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from training_service.domain.ledger import Mark
from training_service.domain.vocabulary import AlertRule, AttendanceStatus

CONSECUTIVE_LIMIT = 3
RATE_WINDOW = timedelta(weeks=4)
DEFAULT_THRESHOLD = Decimal("0.80")


@dataclass(frozen=True)
class DatedMark:
    held_on: date
    mark: Mark

    @property
    def is_unexcused_absence(self) -> bool:
        return self.mark.status is AttendanceStatus.UNEXCUSED and self.mark.hours_attended == 0


@dataclass(frozen=True)
class AlertFinding:
    rule: AlertRule
    consecutive_unexcused: int | None = None
    attendance_rate: Decimal | None = None


def evaluate(
    marks: Sequence[DatedMark],
    today: date,
    *,
    threshold: Decimal = DEFAULT_THRESHOLD,
    open_rules: frozenset[AlertRule] = frozenset(),
    resolved_on: Mapping[AlertRule, date] | None = None,
) -> list[AlertFinding]:
    """The alerts to raise now for one person in one course (none for a rule already open)."""
    resolved_on = resolved_on or {}
    held = sorted((m for m in marks if m.held_on <= today), key=lambda m: m.held_on)
    findings: list[AlertFinding] = []
    if AlertRule.CONSECUTIVE_UNEXCUSED not in open_rules:
        since = resolved_on.get(AlertRule.CONSECUTIVE_UNEXCUSED)
        run = 0
        for mark in reversed([m for m in held if since is None or m.held_on > since]):
            if not mark.is_unexcused_absence:
                break
            run += 1
        if run >= CONSECUTIVE_LIMIT:
            findings.append(AlertFinding(AlertRule.CONSECUTIVE_UNEXCUSED, consecutive_unexcused=run))
    if AlertRule.LOW_ATTENDANCE_RATE not in open_rules:
        start = today - RATE_WINDOW
        since = resolved_on.get(AlertRule.LOW_ATTENDANCE_RATE)
        window = [m for m in held if m.held_on > start and (since is None or m.held_on > since)]
        scheduled = sum((m.mark.session_hours for m in window), Decimal(0))
        if scheduled > 0:
            rate = (sum((m.mark.hours_attended for m in window), Decimal(0)) / scheduled).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
            if rate < threshold:
                findings.append(AlertFinding(AlertRule.LOW_ATTENDANCE_RATE, attendance_rate=rate))
    return findings
