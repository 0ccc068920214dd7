"""The rules the read models are built by: a re-sent sheet moves totals by its difference only, a payment is
shared to the cent."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from reporting_service.domain.facts import (
    AttendanceLine,
    HoursTotals,
    first_of_month,
    share_payment,
    sheet_difference,
)

SEVEN = Decimal("7.00")
A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def present(hours: str = "7.00") -> AttendanceLine:
    return AttendanceLine("present", SEVEN, Decimal(hours))


def test_a_first_sheet_adds_each_persons_line() -> None:
    changes = sheet_difference({}, {A: present(), B: AttendanceLine("excused", SEVEN, Decimal(0))})
    assert changes[A] == HoursTotals(recorded=SEVEN, attended=SEVEN, sessions=1)
    assert changes[B] == HoursTotals(recorded=SEVEN, excused=SEVEN, sessions=1)


def test_the_same_sheet_again_changes_nothing() -> None:
    sheet = {A: present(), B: present("3.50")}
    assert sheet_difference(sheet, dict(sheet)) == {}


def test_a_corrected_sheet_moves_only_the_changed_lines_and_a_removed_person_gives_their_hours_back() -> None:
    before = {A: present(), B: present("3.50"), C: present()}
    after = {A: present(), B: AttendanceLine("unexcused", SEVEN, Decimal(0))}
    changes = sheet_difference(before, after)
    assert A not in changes
    assert changes[B] == HoursTotals(attended=Decimal("-3.50"), unexcused=SEVEN)
    assert changes[C] == HoursTotals(recorded=-SEVEN, attended=-SEVEN, sessions=-1)


def test_applying_every_difference_in_turn_leaves_the_totals_of_the_last_sheet() -> None:
    sheets = [{A: present("2.00")}, {A: present(), B: present()}, {B: AttendanceLine("excused", SEVEN, Decimal(0))}]
    totals: dict[uuid.UUID, HoursTotals] = {}
    before: dict[uuid.UUID, AttendanceLine] = {}
    for sheet in sheets:
        for person, change in sheet_difference(before, sheet).items():
            current = totals.get(person, HoursTotals())
            totals[person] = current + change
        before = sheet
    assert totals[A].is_zero()
    assert totals[B] == HoursTotals(recorded=SEVEN, excused=SEVEN, sessions=1)


def test_a_payment_is_shared_in_proportion_and_adds_up_to_the_cent() -> None:
    shares = share_payment(Decimal("100.00"), {A: Decimal("1.00"), B: Decimal("1.00"), C: Decimal("1.00")})
    assert sum(shares.values()) == Decimal("100.00")
    assert sorted(shares.values()) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    uneven = share_payment(Decimal("80.00"), {A: Decimal("60.00"), B: Decimal("20.00")})
    assert uneven == {A: Decimal("60.00"), B: Decimal("20.00")}


def test_a_payment_below_what_was_approved_is_shared_by_the_same_proportions() -> None:
    shares = share_payment(Decimal("50.00"), {A: Decimal("75.00"), B: Decimal("25.00")})
    assert shares == {A: Decimal("37.50"), B: Decimal("12.50")}


def test_nothing_approved_shares_nothing() -> None:
    assert share_payment(Decimal("10.00"), {A: Decimal(0)}) == {A: Decimal(0)}


def test_a_month_is_named_by_its_first_day() -> None:
    assert first_of_month(date(2026, 2, 28)) == date(2026, 2, 1)
