"""A transaction's attendance hours, folded per (person, step, month) and summed into the three totals."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from reporting_service.adapters import upserts
from reporting_service.adapters.hours import PendingHours
from reporting_service.adapters.tables import fact_attendance_months, fact_attendance_person_months, fact_person_steps
from reporting_service.domain.facts import HoursTotals

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def _hours(recorded: str, attended: str, sessions: int) -> HoursTotals:
    return HoursTotals(Decimal(recorded), Decimal(attended), Decimal(0), Decimal(0), sessions)


def test_changes_add_up_per_step_per_month_and_per_month_over_steps() -> None:
    person = uuid.uuid4()
    hours = PendingHours()
    hours.move([((person, 3, MARCH), _hours("7", "7", 1))])
    hours.move([((person, 3, MARCH), _hours("7", "3.5", 1)), ((person, 3, APRIL), _hours("3.5", "0", 1))])
    hours.move([((person, 4, APRIL), _hours("7", "7", 1))])

    rows = {table.name: table_rows for table, table_rows in hours.take(version=2)}

    def totals(row: dict[str, object]) -> tuple[object, ...]:
        return (row["hours_recorded"], row["hours_attended"], row["sessions_recorded"])

    steps = {row["step"]: totals(row) for row in rows[fact_person_steps.name]}
    assert steps == {3: (Decimal("17.5"), Decimal("10.5"), 3), 4: (Decimal(7), Decimal(7), 1)}
    months = {(row["step"], row["month"]): totals(row) for row in rows[fact_attendance_months.name]}
    assert months == {
        (3, MARCH): (Decimal(14), Decimal("10.5"), 2),
        (3, APRIL): (Decimal("3.5"), Decimal(0), 1),
        (4, APRIL): (Decimal(7), Decimal(7), 1),
    }
    over_steps = {row["month"]: totals(row) for row in rows[fact_attendance_person_months.name]}
    assert over_steps == {MARCH: (Decimal(14), Decimal("10.5"), 2), APRIL: (Decimal("10.5"), Decimal(7), 2)}
    every_row = [row for table_rows in rows.values() for row in table_rows]
    assert {(row["version"], row["beneficiary_id"]) for row in every_row} == {(2, person)}
    assert not hours  # taken: the next transaction starts empty


def test_a_change_that_adds_up_to_nothing_writes_nothing() -> None:
    """A sheet and a correction taking the person off it, in one transaction: no row. A sheet applied before,
    moved from one month to the next on the same step: its step does not move, its months do."""
    person, moved = uuid.uuid4(), uuid.uuid4()
    hours = PendingHours()
    hours.move([((person, 3, MARCH), _hours("7", "7", 1))])
    hours.move([((person, 3, MARCH), _hours("-7", "-7", -1))])
    hours.move([((moved, 3, MARCH), _hours("-7", "-7", -1)), ((moved, 3, APRIL), _hours("7", "7", 1))])

    rows = {table.name: table_rows for table, table_rows in hours.take(version=1)}

    assert rows[fact_person_steps.name] == []
    months = {
        (row["beneficiary_id"], row["month"]): row["sessions_recorded"] for row in rows[fact_attendance_months.name]
    }
    assert months == {(moved, MARCH): -1, (moved, APRIL): 1}
    over_steps = rows[fact_attendance_person_months.name]
    assert {(row["beneficiary_id"], row["month"]): row["sessions_recorded"] for row in over_steps} == months


def test_the_rows_of_one_statement_carry_one_version() -> None:
    """The version goes once per statement, not as an array: rows of two versions are refused, not mixed."""
    person = uuid.uuid4()
    rows = [{"version": 1, "beneficiary_id": person}, {"version": 2, "beneficiary_id": person}]
    with pytest.raises(ValueError, match="2 values of version"):
        upserts._parameters(rows, ("version", "beneficiary_id"))
    assert upserts._parameters(rows[:1], ("version", "beneficiary_id")) == {"version": 1, "beneficiary_id": [person]}
