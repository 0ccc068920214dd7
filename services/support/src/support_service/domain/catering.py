"""Meal entitlements from the training calendar and housing, and the monthly reconciliation."""

from calendar import monthrange
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from support_service.domain.errors import InvalidValue
from support_service.domain.events import MealsEntitled
from support_service.domain.nights import ONE_DAY, Nights
from support_service.domain.vocabulary import Meal

FULL_BOARD = frozenset(Meal)


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2100:
            raise InvalidValue("month", "must be a month between 2000-01 and 2100-12")

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @property
    def days(self) -> Nights:
        first = date(self.year, self.month, 1)
        last = date(self.year, self.month, monthrange(self.year, self.month)[1])
        return Nights(first, last + ONE_DAY)


@dataclass(frozen=True)
class MealPolicy:
    """What a day is worth; the agreement may say otherwise than lunch on training days and full board if housed."""

    training_day: frozenset[Meal] = frozenset({Meal.LUNCH})
    housed_day: frozenset[Meal] = FULL_BOARD


def meals_owed(
    days: Nights, training_days: Iterable[date], housed: Iterable[Nights], policy: MealPolicy = MealPolicy()
) -> Counter[Meal]:
    """Meals per kind over `days`: a day's meals are the union of what training and housing give.

    A housed day is a day whose night is in a placement (the evening meal and the next breakfast follow the bed).
    """
    stays = [stay for stay in housed if not stay.is_empty]
    trained = set(training_days)
    owed: Counter[Meal] = Counter()
    for day in days:
        meals: frozenset[Meal] = frozenset()
        if day in trained:
            meals |= policy.training_day
        if any(day in stay for stay in stays):
            meals |= policy.housed_day
        owed.update(meals)
    return owed


def entitlement(
    beneficiary_id: UUID,
    month: Month,
    training_days: Iterable[date],
    housed: Iterable[Nights],
    at: datetime,
    policy: MealPolicy = MealPolicy(),
) -> MealsEntitled:
    """The month's entitlement from the planned calendar: published as counts, never as a list of days."""
    owed = meals_owed(month.days, training_days, housed, policy)
    return MealsEntitled(
        beneficiary_id=beneficiary_id,
        month=month.days.start,
        breakfasts=owed[Meal.BREAKFAST],
        lunches=owed[Meal.LUNCH],
        dinners=owed[Meal.DINNER],
        occurred_at=at,
    )


def monthly_entitlements(
    beneficiary_id: UUID,
    training_days: Iterable[date],
    housed: Iterable[Nights],
    left_on: date | None,
    at: datetime,
    policy: MealPolicy = MealPolicy(),
) -> dict[date, MealsEntitled]:
    """Every month the person has a training day or a housed night in, by its first day; nothing from the day
    they left the path (withdrawal or completion). A day counts once, however often it was scheduled."""
    days = {day for day in training_days if left_on is None or day < left_on}
    stays = [stay for stay in housed if not stay.is_empty]
    if left_on is not None:
        stays = [stay.intersection(Nights(stay.start, max(stay.start, left_on))) for stay in stays]
    months = {Month.of(day) for day in days}
    for stay in stays:
        months |= {Month.of(night) for night in stay}
    entitled = (entitlement(beneficiary_id, month, days, stays, at, policy) for month in months)
    return {event.month: event for event in entitled}


@dataclass(frozen=True)
class ReconciliationLine:
    meal: Meal
    owed: int
    served: int

    @property
    def difference(self) -> int:
        """Served minus owed: positive when more was served than owed."""
        return self.served - self.owed


@dataclass(frozen=True)
class Reconciliation:
    beneficiary_id: UUID
    month: Month
    lines: tuple[ReconciliationLine, ...]

    @property
    def balanced(self) -> bool:
        return all(line.difference == 0 for line in self.lines)


def reconcile(
    beneficiary_id: UUID,
    month: Month,
    days_present: Iterable[date],
    housed: Iterable[Nights],
    served: Mapping[Meal, int],
    policy: MealPolicy = MealPolicy(),
) -> Reconciliation:
    """Meals owed for the days the person was actually present (training's attendance) against meals served."""
    if any(count < 0 for count in served.values()):
        raise InvalidValue("served", "counts must not be negative")
    owed = meals_owed(month.days, days_present, housed, policy)
    lines = tuple(ReconciliationLine(meal, owed[meal], served.get(meal, 0)) for meal in Meal)
    return Reconciliation(beneficiary_id, month, lines)
