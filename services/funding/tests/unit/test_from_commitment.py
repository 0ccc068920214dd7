"""What a consumption drew from the person's commitment, read off its postings: all of it within the commitment,
none beyond it, the commitment's rest and then the line when the amount crosses it; a correction gives back to the
commitment only what was drawn from it. Support's months share their line's draw in date order."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from funding_service.domain.consumption import ConsumptionDelta
from funding_service.domain.ledger import AccountKey, Ledger
from funding_service.domain.movements import (
    drawn_from_commitments,
    share_drawn,
    sheet_consumption,
    uncommitted_consumption,
)
from funding_service.domain.vocabulary import Stage

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LINE = UUID("00000000-0000-4000-8000-00000000001a")
ANNA = UUID("00000000-0000-4000-8000-000000000001")
SESSION = UUID("00000000-0000-4000-8000-0000000000e1")
COMMITTED = AccountKey.person(LINE, Stage.COMMITTED, ANNA)
AVAILABLE = AccountKey.line(LINE, Stage.AVAILABLE)


def a_ledger(committed: str) -> Ledger:
    return Ledger.of({AVAILABLE: Decimal("1000.00"), COMMITTED: Decimal(committed)})


def consume(ledger: Ledger, amount: str, reserved: str | None = None) -> Decimal:
    """Post one change of Anna's consumption on the line; what its postings drew from her commitment."""
    delta = ConsumptionDelta(ANNA, LINE, SESSION, Decimal(amount), Decimal(7))
    room = None if reserved is None else {(ANNA, LINE): Decimal(reserved)}
    transaction = sheet_consumption(ledger, [delta], NOW, SESSION, room)
    assert transaction is not None
    ledger.post(transaction)
    return drawn_from_commitments(transaction).get((ANNA, LINE), Decimal("0.00"))


def test_within_the_commitment_all_of_it_is_drawn_from_it() -> None:
    assert consume(a_ledger("6000.00"), "105.00") == Decimal("105.00")


def test_without_a_commitment_nothing_is_drawn_from_one() -> None:
    ledger = a_ledger("0.00")
    assert consume(ledger, "105.00") == 0
    assert ledger.balance(AVAILABLE) == Decimal("895.00")


def test_beyond_the_commitment_its_rest_is_drawn_and_the_line_pays_the_remainder() -> None:
    ledger = a_ledger("45.00")
    assert consume(ledger, "105.00") == Decimal("45.00")
    assert ledger.balance(AVAILABLE) == Decimal("940.00")  # 60.00 beyond it


def test_a_correction_gives_back_to_the_commitment_only_what_was_drawn_from_it() -> None:
    # A step commitment of 150.00; 105.00 consumed before this session, then 105.00 on it: 45.00 from the
    # commitment, 60.00 from the line.
    ledger = a_ledger("45.00")
    assert consume(ledger, "105.00", reserved="45.00") == Decimal("45.00")
    # The session corrected to nothing: 45.00 back to the commitment, the 60.00 beyond it back to the line.
    assert consume(ledger, "-105.00", reserved="-60.00") == Decimal("-45.00")
    assert (ledger.balance(COMMITTED), ledger.balance(AVAILABLE)) == (Decimal("45.00"), Decimal("1000.00"))


def test_a_correction_of_a_commitment_by_hand_gives_everything_back_to_it() -> None:
    ledger = a_ledger("200.00")
    consume(ledger, "105.00")
    assert consume(ledger, "-60.00") == Decimal("-60.00")


def test_support_costs_draw_from_a_commitment_by_hand_and_give_back_to_the_line() -> None:
    ledger = a_ledger("50.00")
    nights = [ConsumptionDelta(ANNA, LINE, SESSION, Decimal("120.00"), Decimal(4))]
    drawn = uncommitted_consumption(ledger, nights, NOW, SESSION)
    assert drawn is not None
    ledger.post(drawn)
    assert drawn_from_commitments(drawn) == {(ANNA, LINE): Decimal("50.00")}
    back = uncommitted_consumption(
        ledger, [ConsumptionDelta(ANNA, LINE, SESSION, Decimal("-90.00"), Decimal(1))], NOW, SESSION
    )
    assert drawn_from_commitments(back) == {}
    assert drawn_from_commitments(None) == {}


def test_a_line_s_draw_is_shared_between_its_months_in_order_and_only_by_those_moving_its_way() -> None:
    # January given back (to the line), February and March consumed: the 50.00 drawn are February's then March's.
    assert share_drawn([Decimal("-30.00"), Decimal("40.00"), Decimal("60.00")], Decimal("50.00")) == [
        Decimal("0.00"),
        Decimal("40.00"),
        Decimal("10.00"),
    ]
    assert share_drawn([Decimal("-30.00"), Decimal("-20.00")], Decimal("-40.00")) == [
        Decimal("-30.00"),
        Decimal("-10.00"),
    ]
    assert share_drawn([Decimal("12.00")], Decimal("0.00")) == [Decimal("0.00")]


cents = st.integers(min_value=-50_000, max_value=50_000).map(lambda c: Decimal(c).scaleb(-2))


@given(st.lists(st.tuples(cents, st.one_of(st.none(), cents)), min_size=1, max_size=12), cents.map(abs))
def test_what_is_drawn_lies_between_nothing_and_the_amount_and_is_what_the_commitment_lost(
    changes: list[tuple[Decimal, Decimal | None]], committed: Decimal
) -> None:
    ledger = Ledger.of({AVAILABLE: Decimal("1000000.00"), COMMITTED: committed})
    consumed = Decimal("0.00")
    for amount, reserved in changes:
        amount = max(amount, -consumed)  # never give back more than was consumed
        if not amount:
            continue
        before = ledger.balance(COMMITTED)
        drawn = consume(ledger, str(amount), None if reserved is None else str(reserved))
        consumed += amount
        assert min(amount, 0) <= drawn <= max(amount, 0)
        assert before - ledger.balance(COMMITTED) == drawn


@given(st.lists(cents, min_size=1, max_size=6), st.data())
def test_shares_of_a_draw_sum_to_it_and_each_stays_within_its_month(
    amounts: list[Decimal], data: st.DataObject
) -> None:
    net = sum(amounts, Decimal("0.00"))
    # What a line draws from a commitment: between nothing and its net amount (a consumption's rule).
    drawn = data.draw(cents.filter(lambda c: min(net, 0) <= c <= max(net, 0)))
    shares = share_drawn(amounts, drawn)
    assert sum(shares, Decimal("0.00")) == drawn
    assert all(min(amount, 0) <= share <= max(amount, 0) for amount, share in zip(amounts, shares, strict=True))
