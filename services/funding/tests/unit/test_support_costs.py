"""Support's units counted per month, priced by the plan; a later count posts only the difference, given back
to the line (no commitment reserves these costs)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.consumption import ConsumptionDelta, PostedAmounts
from funding_service.domain.errors import InvalidValue
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger
from funding_service.domain.movements import grant, uncommitted_consumption
from funding_service.domain.support_costs import (
    funded_meals,
    months_after,
    occupied_nights,
    open_months,
    reference,
    targets,
)
from funding_service.domain.vocabulary import CostType, Stage
from funding_service.service_layer.support_costs import moved_entries

NOW = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
STATE = UUID("00000000-0000-4000-8000-00000000001a")
REGION = UUID("00000000-0000-4000-8000-00000000001b")
ANNA = UUID("00000000-0000-4000-8000-000000000001")
PLACEMENT = UUID("00000000-0000-4000-8000-0000000000f1")
NIGHTS = FinancingPlan(
    plan_id=UUID(int=7),
    cost_type=CostType.HOUSING_NIGHT,
    unit_cost=Decimal("31.15"),
    shares={STATE: Decimal("0.6"), REGION: Decimal("0.4")},
    remainder_line_id=REGION,
    cohort_id=UUID(int=8),
)
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def test_nights_are_counted_per_month_up_to_the_morning_of_leaving() -> None:
    assert occupied_nights(date(2026, 1, 30), date(2026, 2, 5)) == {JAN: 2, FEB: 4}
    assert occupied_nights(date(2026, 1, 30), date(2026, 1, 30)) == {}
    assert occupied_nights(date(2025, 12, 31), date(2026, 1, 1)) == {date(2025, 12, 1): 1}


def test_a_release_before_the_planned_end_keeps_only_the_nights_used() -> None:
    assert occupied_nights(date(2026, 1, 30), date(2026, 2, 5), date(2026, 2, 2)) == {JAN: 2, FEB: 1}
    assert occupied_nights(date(2026, 1, 30), date(2026, 2, 5), date(2026, 1, 20)) == {}  # never slept there
    assert occupied_nights(date(2026, 1, 30), date(2026, 2, 5), date(2026, 3, 1)) == {JAN: 2, FEB: 4}  # late


def test_a_placement_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidValue):
        occupied_nights(date(2026, 2, 5), date(2026, 1, 30))


def test_lunches_and_dinners_are_the_funded_meals() -> None:
    assert funded_meals(date(2026, 2, 14), lunches=20, dinners=18) == {FEB: 38}
    assert funded_meals(FEB, lunches=0, dinners=0) == {}


def test_every_month_the_file_was_open_in_counts_once() -> None:
    assert open_months(date(2026, 1, 15), date(2026, 3, 2)) == {JAN: 1, FEB: 1, MAR: 1}
    assert open_months(date(2026, 1, 15), date(2026, 1, 16)) == {JAN: 1}
    assert open_months(date(2026, 1, 15)) == {JAN: 1}
    assert open_months(date(2025, 12, 20), date(2026, 1, 3)) == {date(2025, 12, 1): 1, JAN: 1}


def test_an_open_file_counts_every_month_so_far_and_its_closing_ends_the_count() -> None:
    assert open_months(date(2026, 1, 15), None, date(2026, 3, 1)) == {JAN: 1, FEB: 1, MAR: 1}
    assert open_months(date(2026, 1, 15), None, date(2026, 1, 31)) == {JAN: 1}
    assert open_months(date(2026, 1, 15), None, date(2025, 12, 31)) == {JAN: 1}  # a day before it opened
    assert open_months(date(2026, 1, 15), date(2026, 2, 3), date(2026, 6, 1)) == {JAN: 1, FEB: 1}
    assert len(open_months(date(2025, 11, 30), None, date(2027, 2, 1))) == 16


def test_months_after_crosses_years() -> None:
    assert months_after(date(2025, 11, 1), 2) == JAN
    assert months_after(JAN, 0) == JAN
    assert months_after(date(2026, 12, 1), 13) == date(2028, 1, 1)


def test_the_split_of_a_month_sums_to_its_price() -> None:
    found = targets(NIGHTS, PLACEMENT, {JAN: Decimal(3)})
    # 3 x 31.15 = 93.45: 56.07 / 37.38 (the region line takes the cent left over).
    assert found == {
        (reference(PLACEMENT, JAN), STATE): (Decimal(3), Decimal("56.07")),
        (reference(PLACEMENT, JAN), REGION): (Decimal(3), Decimal("37.38")),
    }


def test_a_release_posts_the_nights_given_back_to_the_line_and_balances() -> None:
    ledger = Ledger()
    for line in (STATE, REGION):
        ledger.post(grant(line, Decimal("1000.00"), NOW))
    posted = PostedAmounts(ANNA)
    assigned = occupied_nights(date(2026, 1, 30), date(2026, 2, 5))
    deltas = posted.settle(targets(NIGHTS, PLACEMENT, assigned), [])
    first = uncommitted_consumption(ledger, deltas, NOW, PLACEMENT)
    assert first is not None
    ledger.post(first)
    consumed = AccountKey.person(STATE, Stage.CONSUMED, ANNA)
    assert ledger.balance(consumed) + ledger.balance(AccountKey.person(REGION, Stage.CONSUMED, ANNA)) == Decimal(
        "186.90"
    )  # 6 nights

    # The same count again posts nothing.
    assert posted.settle(targets(NIGHTS, PLACEMENT, assigned), {ref for ref, _ in posted.posted}) == []

    released = occupied_nights(date(2026, 1, 30), date(2026, 2, 5), date(2026, 2, 2))
    deltas = posted.settle(targets(NIGHTS, PLACEMENT, released), {ref for ref, _ in posted.posted})
    back = uncommitted_consumption(ledger, deltas, NOW, PLACEMENT)
    assert back is not None
    assert back.balanced
    ledger.post(back)
    # 3 nights given back (93.45), to the lines' available money, never to a commitment.
    assert sum((d.amount for d in deltas), Decimal(0)) == Decimal("-93.45")
    assert ledger.balance(AccountKey.person(STATE, Stage.COMMITTED, ANNA)) == 0
    assert ledger.balance(AccountKey.line(STATE, Stage.AVAILABLE)) + ledger.balance(consumed) == Decimal("1000.00")
    assert ledger.balance(consumed) == Decimal("56.07")


def test_what_a_count_moved_is_published_per_line_and_month_and_a_move_between_months_shows_both() -> None:
    state_funder, region_funder, agreement = UUID(int=21), UUID(int=22), UUID(int=23)
    owners = {STATE: (agreement, state_funder, "active"), REGION: (agreement, region_funder, "active")}
    jan, feb = reference(PLACEMENT, JAN), reference(PLACEMENT, FEB)
    held_on = {jan: date(2026, 1, 30), feb: FEB}
    deltas = [
        ConsumptionDelta(ANNA, STATE, jan, Decimal("-18.69"), Decimal(1)),
        ConsumptionDelta(ANNA, STATE, feb, Decimal("18.69"), Decimal(5)),
        ConsumptionDelta(ANNA, REGION, jan, Decimal("0.00"), Decimal(1)),
        ConsumptionDelta(ANNA, REGION, feb, Decimal("12.46"), Decimal(5)),
    ]
    # The region's line drew 10.00 from a commitment by hand, the State's line nothing (its months cancel out).
    entries = moved_entries(deltas, owners, held_on, {REGION: Decimal("10.00")})
    assert [(e.budget_line_id, e.funder_id, e.held_on, e.amount, e.from_commitment) for e in entries] == [
        (STATE, state_funder, date(2026, 1, 30), Decimal("-18.69"), Decimal("0.00")),
        (STATE, state_funder, FEB, Decimal("18.69"), Decimal("0.00")),
        (REGION, region_funder, FEB, Decimal("12.46"), Decimal("10.00")),
    ]
    assert moved_entries([], owners, held_on, {}) == ()
