"""The one rounding rule and the split between funders."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funding_service.domain.errors import InvalidValue
from funding_service.domain.money import as_text, money, split, to_cent


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-2.675", "-2.68"), ("1234.5", "1234.50")],
)
def test_amounts_are_rounded_to_the_cent_half_up(amount: str, rounded: str) -> None:
    assert to_cent(Decimal(amount)) == Decimal(rounded)
    assert as_text(Decimal(amount)) == rounded


def test_money_is_never_a_float() -> None:
    with pytest.raises(InvalidValue, match="never a float"):
        money(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["12.345", "abc", "NaN", "Infinity"])
def test_a_money_figure_has_at_most_two_decimals_and_is_a_number(text: str) -> None:
    with pytest.raises(InvalidValue):
        money(text)


def test_a_70_30_split_gives_the_remainder_cent_to_the_stated_funder() -> None:
    parts = split(Decimal("100.01"), {"state": Decimal("0.7"), "region": Decimal("0.3")}, remainder_to="state")
    # 70 % is 70.007 and 30 % is 30.003: the region gets its rounded 30.00, the State the rest.
    assert parts == {"state": Decimal("70.01"), "region": Decimal("30.00")}


def test_the_remainder_can_go_to_the_smaller_share() -> None:
    parts = split(Decimal("0.05"), {"state": Decimal("0.7"), "region": Decimal("0.3")}, remainder_to="region")
    assert parts == {"state": Decimal("0.04"), "region": Decimal("0.01")}


def test_a_negative_difference_is_split_as_the_mirror_of_the_positive_one() -> None:
    shares = {"a": Decimal("0.7"), "b": Decimal("0.3")}
    assert split(Decimal("-100.01"), shares, "a") == {k: -v for k, v in split(Decimal("100.01"), shares, "a").items()}


@pytest.mark.parametrize(
    ("shares", "remainder_to"),
    [({"a": Decimal("0.7"), "b": Decimal("0.2")}, "a"), ({"a": Decimal("1")}, "b"), ({"a": Decimal("0")}, "a")],
)
def test_shares_must_sum_to_one_and_name_the_remainder_party(shares: dict[str, Decimal], remainder_to: str) -> None:
    with pytest.raises(InvalidValue):
        split(Decimal(10), shares, remainder_to)


amounts = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2)
share_lists = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=5)


@given(amount=amounts, weights=share_lists, remainder=st.integers(min_value=0, max_value=4))
def test_the_parts_of_any_split_sum_to_the_whole_and_none_is_of_the_wrong_sign(
    amount: Decimal, weights: list[int], remainder: int
) -> None:
    total = sum(weights)
    shares = {i: Decimal(w) / Decimal(total) for i, w in enumerate(weights)}
    # Shares given by people are exact decimals; make the last one absorb the division's leftovers.
    shares[len(weights) - 1] = Decimal(1) - sum((shares[i] for i in range(len(weights) - 1)), Decimal(0))
    if shares[len(weights) - 1] <= 0:
        return
    parts = split(amount, shares, remainder % len(weights))
    assert sum(parts.values()) == amount
    assert all(part * amount >= 0 for part in parts.values())
    assert all(part == to_cent(part) for part in parts.values())


@given(amount=amounts, first=st.integers(min_value=1, max_value=99))
def test_each_part_of_a_two_funder_split_is_within_a_cent_of_its_exact_share(amount: Decimal, first: int) -> None:
    share = Decimal(first) / 100
    parts = split(amount, {"a": share, "b": 1 - share}, "a")
    assert abs(parts["a"] - amount * share) <= Decimal("0.01")
    assert abs(parts["b"] - amount * (1 - share)) <= Decimal("0.01")
