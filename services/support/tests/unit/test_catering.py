from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support_service.domain.catering import MealPolicy, Month, entitlement, meals_owed, monthly_entitlements, reconcile
from support_service.domain.errors import InvalidValue
from support_service.domain.nights import Nights
from support_service.domain.vocabulary import Meal

PERSON = UUID(int=1)
OCTOBER = Month(2025, 10)
AT = datetime(2025, 9, 25, tzinfo=UTC)


def october(day: int) -> date:
    return date(2025, 10, day)


def weekdays(month: Month) -> list[date]:
    return [day for day in month.days if day.weekday() < 5]


def test_a_month_is_its_days_from_the_first_to_the_last() -> None:
    assert len(Month(2024, 2).days) == 29
    assert len(OCTOBER.days) == 31
    assert OCTOBER.days.start == october(1)
    with pytest.raises(InvalidValue):
        Month(2025, 13)


def test_everyone_gets_lunch_on_training_days_only() -> None:
    owed = meals_owed(OCTOBER.days, weekdays(OCTOBER), [])
    assert owed == {Meal.LUNCH: 23}


def test_a_housed_person_gets_full_board_every_night_of_the_stay_and_lunch_is_not_counted_twice() -> None:
    stay = Nights(october(6), october(11))  # Monday to Saturday morning: five nights
    owed = meals_owed(OCTOBER.days, weekdays(OCTOBER), [stay])
    assert owed == {Meal.BREAKFAST: 5, Meal.LUNCH: 23, Meal.DINNER: 5}


def test_the_agreement_may_give_other_meals() -> None:
    policy = MealPolicy(training_day=frozenset({Meal.BREAKFAST, Meal.LUNCH}), housed_day=frozenset({Meal.DINNER}))
    owed = meals_owed(OCTOBER.days, [october(1), october(2)], [Nights(october(2), october(4))], policy)
    assert owed == {Meal.BREAKFAST: 2, Meal.LUNCH: 2, Meal.DINNER: 2}


def test_the_monthly_entitlement_is_published_as_counts_for_the_first_day_of_the_month() -> None:
    event = entitlement(PERSON, OCTOBER, weekdays(OCTOBER), [Nights(october(30), october(30) + timedelta(days=5))], AT)
    assert (event.month, event.breakfasts, event.lunches, event.dinners) == (october(1), 2, 23, 2)


def test_reconciliation_compares_meals_owed_for_days_present_with_meals_served() -> None:
    present = [october(1), october(2), october(3)]
    result = reconcile(PERSON, OCTOBER, present, [], {Meal.LUNCH: 4, Meal.DINNER: 1})
    lines = {line.meal: (line.owed, line.served, line.difference) for line in result.lines}
    assert lines == {Meal.BREAKFAST: (0, 0, 0), Meal.LUNCH: (3, 4, 1), Meal.DINNER: (0, 1, 1)}
    assert not result.balanced
    assert reconcile(PERSON, OCTOBER, present, [], {Meal.LUNCH: 3}).balanced


def test_negative_served_counts_are_refused() -> None:
    with pytest.raises(InvalidValue):
        reconcile(PERSON, OCTOBER, [], [], {Meal.LUNCH: -1})


days_of_october = st.sets(st.integers(1, 31).map(october))
stays = st.lists(st.tuples(st.integers(-5, 35), st.integers(0, 10)), max_size=4).map(
    lambda pairs: [Nights(october(1) + timedelta(days=s), october(1) + timedelta(days=s + n)) for s, n in pairs]
)


@given(days_of_october, stays)
def test_meals_owed_are_lunch_per_training_or_housed_day_and_board_per_housed_day(training, housed) -> None:
    housed_days = {day for stay in housed for day in stay if day in OCTOBER.days}
    owed = meals_owed(OCTOBER.days, training, housed)
    assert owed[Meal.BREAKFAST] == owed[Meal.DINNER] == len(housed_days)
    assert owed[Meal.LUNCH] == len(training | housed_days)
    assert owed[Meal.LUNCH] <= 31


@given(days_of_october, stays, st.dictionaries(st.sampled_from(Meal), st.integers(0, 40)))
def test_the_differences_add_up_to_served_minus_owed(present, housed, served) -> None:
    result = reconcile(PERSON, OCTOBER, present, housed, served)
    owed = meals_owed(OCTOBER.days, present, housed)
    assert sum(line.difference for line in result.lines) == sum(served.values()) - sum(owed.values())
    assert result.balanced is all(served.get(meal, 0) == owed[meal] for meal in Meal)


def test_monthly_entitlements_cover_every_month_with_training_or_a_stay_and_count_a_day_once() -> None:
    days = [october(30), october(31), october(31), date(2025, 11, 3)]  # the 31st scheduled twice
    stay = Nights(date(2025, 12, 30), date(2026, 1, 2))  # housed over the new year, no training
    owed = monthly_entitlements(PERSON, days, [stay], None, AT)
    assert sorted(owed) == [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert owed[date(2025, 10, 1)].lunches == 2
    assert owed[date(2025, 11, 1)].lunches == 1
    assert (owed[date(2025, 12, 1)].breakfasts, owed[date(2025, 12, 1)].dinners) == (2, 2)
    assert owed[date(2026, 1, 1)].breakfasts == 1


def test_nothing_is_owed_from_the_day_a_person_left_the_path() -> None:
    days = [october(13), october(14), october(15), date(2025, 11, 3)]
    stay = Nights(october(13), october(20))
    owed = monthly_entitlements(PERSON, days, [stay], october(15), AT)
    assert list(owed) == [date(2025, 10, 1)]  # November's session is after leaving
    october_owed = owed[date(2025, 10, 1)]
    assert (october_owed.breakfasts, october_owed.lunches, october_owed.dinners) == (2, 2, 2)
