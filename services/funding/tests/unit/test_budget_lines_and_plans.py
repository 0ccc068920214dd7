"""Budget lines and financing plans: rates, caps, scope, shares."""

from collections.abc import Callable
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from funding_service.domain.budget_line import AttendancePolicy, BudgetLine, Rate, Scope
from funding_service.domain.errors import InvalidValue
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.vocabulary import CostType, Unit

LINE_STATE = UUID("00000000-0000-4000-8000-00000000001a")
LINE_REGION = UUID("00000000-0000-4000-8000-00000000001b")
COHORT = UUID("00000000-0000-4000-8000-0000000000c1")


def a_plan(unit_cost: str = "12.50", **overrides: object) -> FinancingPlan:
    fields: dict[str, object] = {
        "plan_id": uuid4(),
        "cost_type": CostType.TRAINING_HOURS,
        "unit_cost": Decimal(unit_cost),
        "shares": {LINE_STATE: Decimal("0.7"), LINE_REGION: Decimal("0.3")},
        "remainder_line_id": LINE_STATE,
        "cohort_id": COHORT,
        "step": 3,
    }
    fields.update(overrides)
    return FinancingPlan(**fields)  # type: ignore[arg-type]


def test_a_line_cannot_grant_more_than_its_quantity_at_its_rate(line_factory: Callable[..., BudgetLine]) -> None:
    with pytest.raises(InvalidValue, match="amount"):
        line_factory(amount="150000.01")


def test_only_an_hourly_rate_can_be_a_cap() -> None:
    with pytest.raises(InvalidValue, match="cap"):
        BudgetLine(
            uuid4(),
            uuid4(),
            CostType.HOUSING_NIGHT,
            Unit.NIGHT,
            Rate(Decimal(30), capped=True),
            Decimal(10),
            Decimal(300),
        )


def test_only_a_training_line_funds_excused_hours() -> None:
    with pytest.raises(InvalidValue, match="excused"):
        BudgetLine(
            uuid4(),
            uuid4(),
            CostType.CATERING_MEAL,
            Unit.MEAL,
            Rate(Decimal("4.50")),
            Decimal(1000),
            Decimal(4500),
            attendance=AttendancePolicy(Decimal("0.1")),
        )


@pytest.mark.parametrize("share", ["-0.1", "1.5", "0.12345"])
def test_the_excused_share_is_between_0_and_1_with_four_decimals(share: str) -> None:
    with pytest.raises(InvalidValue):
        AttendancePolicy(Decimal(share))


def test_the_excused_allowance_is_the_share_of_the_planned_hours_rounded_down() -> None:
    assert AttendancePolicy(Decimal("0.1")).excused_allowance(Decimal("455.5")) == Decimal("45.55")
    assert AttendancePolicy(Decimal("0.0333")).excused_allowance(Decimal("400")) == Decimal("13.32")


def test_a_scope_admits_only_what_it_names() -> None:
    scope = Scope(region="IDF", step=3)
    assert scope.admits("IDF", "logistics", 3, "group")
    assert not scope.admits("ARA", "logistics", 3, "group")
    assert Scope().admits(None, None, None, None)


def test_a_plan_pays_one_cohort_or_one_person_never_both_or_neither() -> None:
    with pytest.raises(InvalidValue):
        a_plan(beneficiary_id=uuid4())
    with pytest.raises(InvalidValue):
        a_plan(cohort_id=None)


def test_a_plan_s_shares_sum_to_one_and_name_its_remainder_line() -> None:
    with pytest.raises(InvalidValue):
        a_plan(shares={LINE_STATE: Decimal("0.7"), LINE_REGION: Decimal("0.2")})
    with pytest.raises(InvalidValue):
        a_plan(remainder_line_id=uuid4())


def test_a_plan_may_not_pay_a_line_beyond_its_hourly_cap(line_factory: Callable[..., BudgetLine]) -> None:
    lines = {
        LINE_STATE: line_factory(rate="12.00"),
        LINE_REGION: line_factory(line_id=LINE_REGION, rate="5.00", amount="50000.00"),
    }
    assert FinancingPlan.checked(a_plan("14.28"), lines)
    # 30 % of 16.67 € is 5.001 €, above the region's 5 € cap.
    with pytest.raises(InvalidValue, match="caps"):
        FinancingPlan.checked(a_plan("16.67"), lines)


def test_a_plan_only_uses_lines_of_its_cost_type(line_factory: Callable[..., BudgetLine]) -> None:
    meals = BudgetLine(
        LINE_REGION, uuid4(), CostType.CATERING_MEAL, Unit.MEAL, Rate(Decimal(5)), Decimal(10), Decimal(50)
    )
    with pytest.raises(InvalidValue, match="pays"):
        FinancingPlan.checked(a_plan(), {LINE_STATE: line_factory(), LINE_REGION: meals})


def test_a_plan_prices_a_quantity_once_and_splits_it() -> None:
    plan = a_plan("12.37")
    assert plan.amount_for(Decimal("3.5")) == Decimal("43.30")  # 43.295 rounded half up
    assert plan.parts_for(Decimal("3.5")) == {LINE_STATE: Decimal("30.31"), LINE_REGION: Decimal("12.99")}


def test_a_plan_may_only_use_lines_whose_scope_admits_the_cohort(line_factory: Callable[..., BudgetLine]) -> None:
    regional = BudgetLine(
        LINE_REGION,
        uuid4(),
        CostType.TRAINING_HOURS,
        Unit.HOUR,
        Rate(Decimal(15), capped=True),
        Decimal(1000),
        Decimal(15000),
        scope=Scope(region="IDF", step=3),
    )
    lines = {LINE_STATE: line_factory(), LINE_REGION: regional}
    assert FinancingPlan.checked(a_plan(), lines, region="IDF", sector_code="logistics", track="group")
    with pytest.raises(InvalidValue, match="not for this region"):
        FinancingPlan.checked(a_plan(), lines, region="ARA", sector_code="logistics", track="group")
    with pytest.raises(InvalidValue, match="not for this region"):
        FinancingPlan.checked(a_plan(step=4), lines, region="IDF")
