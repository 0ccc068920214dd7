"""Attendance hours waiting to be written: each person's change per step and month, added up over a transaction's
sheets, then written once as the three totals they move (``fact_person_steps``, ``fact_attendance_months``,
``fact_attendance_person_months``).

A sheet's difference used to be written to each of the three tables as it came, three rows made and folded per
person and sheet: a tenth of the live path's CPU (py-spy's samples, 20,000 events). The three are sums of one
change per (person, step, month): folded there once, and summed into the other two when the transaction writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Table

from reporting_service.adapters.tables import fact_attendance_months, fact_attendance_person_months, fact_person_steps
from reporting_service.domain.facts import HoursTotals

# The totals' columns, in ``HoursTotals``' order.
HOURS = ("hours_recorded", "hours_attended", "hours_excused", "hours_unexcused", "sessions_recorded")

Key = tuple[UUID, int, date]  # a person, a step, the first day of a month


class PendingHours:
    """One transaction's hours changes, per (person, step, month), not yet written."""

    def __init__(self) -> None:
        self._changes: dict[Key, list[Any]] = {}

    def __bool__(self) -> bool:
        return bool(self._changes)

    def move(self, changes: Iterable[tuple[Key, HoursTotals]]) -> None:
        """Add each change to the person's step in that month (a month is its first day)."""
        for key, change in changes:
            totals = self._changes.get(key)
            if totals is None:
                self._changes[key] = [
                    change.recorded,
                    change.attended,
                    change.excused,
                    change.unexcused,
                    change.sessions,
                ]
            else:
                totals[0] += change.recorded
                totals[1] += change.attended
                totals[2] += change.excused
                totals[3] += change.unexcused
                totals[4] += change.sessions

    def take(self, version: int) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
        """The rows to add to each table (emptying this): a change that adds up to nothing writes nothing."""
        changes, self._changes = self._changes, {}
        if not changes:  # every flush asks, and most reads ahead flush with no sheet waiting
            return
        steps: dict[tuple[UUID, int], list[Any]] = {}
        months: dict[tuple[UUID, date], list[Any]] = {}
        for (person, step, month), totals in changes.items():
            _add(steps, (person, step), totals)
            _add(months, (person, month), totals)
        yield (
            fact_person_steps,
            [
                {"version": version, "beneficiary_id": person, "step": step, **dict(zip(HOURS, totals, strict=True))}
                for (person, step), totals in steps.items()
                if any(totals)
            ],
        )
        yield (
            fact_attendance_months,
            [
                {
                    "version": version,
                    "beneficiary_id": person,
                    "step": step,
                    "month": month,
                    **dict(zip(HOURS, totals, strict=True)),
                }
                for (person, step, month), totals in changes.items()
                if any(totals)
            ],
        )
        yield (
            fact_attendance_person_months,
            [
                {"version": version, "beneficiary_id": person, "month": month, **dict(zip(HOURS, totals, strict=True))}
                for (person, month), totals in months.items()
                if any(totals)
            ],
        )


def _add(sums: dict[Any, list[Any]], key: Any, totals: list[Any]) -> None:
    kept = sums.get(key)
    if kept is None:
        sums[key] = list(totals)
    else:
        for index, value in enumerate(totals):
            kept[index] += value
