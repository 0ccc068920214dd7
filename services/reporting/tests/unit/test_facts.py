"""The rules the read models are built by: a re-sent sheet moves totals by its difference only, a payment is
shared to the cent."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from itertools import permutations

from reporting_service.domain.facts import (
    AttendanceLine,
    HoursTotals,
    Movement,
    beyond_commitment,
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


def money(*moves: tuple[str, ...]) -> Decimal:
    """``(kind, amount)``, or ``(kind, amount, from_commitment)`` for a consumption that says where it was drawn."""
    return beyond_commitment(
        Movement(move[0], Decimal(move[1]), Decimal(move[2]) if len(move) > 2 else None)  # type: ignore[arg-type]
        for move in moves
    )


def test_consumption_within_a_commitment_engages_nothing_more() -> None:
    assert money(("committed", "1000.00"), ("consumed", "400.00"), ("consumed", "600.00")) == 0


def test_consumption_beyond_a_commitment_is_drawn_from_the_line_and_counted_beyond_it() -> None:
    # 1,000 committed, 1,260 consumed: funding's committed view shows 1,260 (0 still committed + 1,260 consumed).
    assert money(("committed", "1000.00"), ("consumed", "700.00"), ("consumed", "560.00")) == Decimal("260.00")


def test_consumption_without_any_commitment_is_all_beyond_as_support_costs_are() -> None:
    assert money(("consumed", "425.00"), ("consumed", "750.00"), ("consumed", "-250.00")) == Decimal("925.00")


def test_a_correction_gives_back_to_the_line_first_then_to_the_commitment() -> None:
    over = (("committed", "1000.00"), ("consumed", "1200.00"))
    assert money(*over, ("consumed", "-150.00")) == Decimal("50.00")
    # 300 back: 200 to the line, 100 to the commitment (still committed 100, consumed 900: 1,000 engaged).
    assert money(*over, ("consumed", "-300.00")) == 0


def test_after_a_withdrawal_the_release_empties_the_commitment_and_later_hours_are_beyond() -> None:
    # 1,000 committed, 400 consumed, 600 released on withdrawal; a late sheet of 70 finds nothing committed.
    moves = (("committed", "1000.00"), ("consumed", "400.00"), ("released", "600.00"), ("consumed", "70.00"))
    assert money(*moves) == Decimal("70.00")


def test_consumption_before_the_commitment_is_beyond_and_the_commitment_then_holds_the_rest() -> None:
    # Sheets of 300 before the step's start: the commitment holds the planned 1,000 less them; 900 more consumed
    # draws 700 from it and 200 from the line: funding shows 1,200 committed (700 + 300 + 200).
    moves = (("consumed", "300.00"), ("committed", "700.00"), ("consumed", "900.00"))
    assert money(*moves) == Decimal("500.00")


def test_a_correction_of_hours_consumed_before_the_commitment_is_given_back_where_funding_says() -> None:
    # 300 consumed before the step's commitment (from the line), 700 committed, then a correction of 100: funding
    # gives it back to the commitment (its planned part counted the 300), so 300 stay beyond it. The replay,
    # which cannot know, gives it back to the line: the one order it gets wrong.
    said = (("consumed", "300.00", "0.00"), ("committed", "700.00"), ("consumed", "-100.00", "-100.00"))
    assert money(*said) == Decimal("300.00")
    assert money(*((kind, amount) for kind, amount, *_ in said)) == Decimal("200.00")


def test_consumptions_that_say_where_they_were_drawn_from_give_the_same_figure_in_any_order() -> None:
    said = [("committed", "1000.00"), ("consumed", "700.00", "700.00"), ("consumed", "560.00", "300.00")]
    assert {money(*order) for order in permutations(said)} == {Decimal("260.00")}


def test_a_consumption_that_says_where_it_was_drawn_from_moves_the_commitment_an_older_one_is_replayed_from() -> None:
    # 1,000 committed; 700 drawn from it as funding said; an older event's 500 then finds 300 left there.
    assert money(("committed", "1000.00"), ("consumed", "700.00", "700.00"), ("consumed", "500.00")) == Decimal(
        "200.00"
    )
