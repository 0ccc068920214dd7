"""Support's costs, counted from support's events: nights a bed was occupied, meals a person was entitled to,
months a support file was open. Each is counted per calendar month (so a claim for a period takes the months
it covers), priced by the person's financing plan for the cost type and split between its lines; a later event
about the same placement, month or file replaces the count, and only the difference is posted
(``PostedAmounts.settle``).

- ``housing_night``: the nights [starts_on, ends_on) of a placement; released before ``ends_on``, the nights
  from the release on are given back (released on or after ``ends_on``: nothing changes).
- ``catering_meal``: a month's lunches and dinners. Breakfasts are not a funded meal: the hostels serve them
  with the night (a "nuitée avec petit-déjeuner"), so a catering line pays the two meals of the day.
- ``support_per_person_month``: every calendar month in which the file was open, from the month it opened to
  the month it closed. An open file counts its months so far: its opening month when it opens, then one month
  more each month (the service's monthly count, ``service_layer.support_months``), until it closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid5

from funding_service.domain.consumption import Key, Target
from funding_service.domain.errors import InvalidValue
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.vocabulary import CostType

SUPPORT_COSTS = (CostType.HOUSING_NIGHT, CostType.CATERING_MEAL, CostType.SUPPORT_PER_PERSON_MONTH)

Quantities = dict[date, Decimal]  # first day of a month → units in that month


def month_of(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def months_after(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def occupied_nights(starts_on: date, ends_on: date, released_on: date | None = None) -> Quantities:
    """Per month, the nights of [starts_on, ends_on) the bed was held: up to the release when it came first."""
    if ends_on < starts_on:
        raise InvalidValue("ends_on", "a placement cannot end before it starts")
    last = ends_on if released_on is None else max(starts_on, min(ends_on, released_on))
    nights: Quantities = {}
    day = starts_on
    while day < last:
        month = month_of(day)
        until = min(_next_month(month), last)
        nights[month] = Decimal((until - day).days)
        day = until
    return nights


def funded_meals(month: date, lunches: int, dinners: int) -> Quantities:
    """A month's funded meals: lunches and dinners (breakfasts come with the night, see above)."""
    if lunches < 0 or dinners < 0:
        raise InvalidValue("meals", "cannot be negative")
    count = lunches + dinners
    return {month_of(month): Decimal(count)} if count else {}


def open_months(opened_on: date, closed_on: date | None = None, through: date | None = None) -> Quantities:
    """One person-month for every calendar month the file was open in: to its closing month, or, still open, to
    the month of ``through`` (the day it is counted on; its opening month when not given)."""
    end = closed_on if closed_on is not None else through
    last = month_of(opened_on if end is None else max(opened_on, end))
    months: Quantities = {}
    month = month_of(opened_on)
    while month <= last:
        months[month] = Decimal(1)
        month = _next_month(month)
    return months


def reference(source_id: UUID, month: date) -> UUID:
    """The id a source's month is posted under (the ``session`` of a ``PostedAmounts`` key): the same every time,
    so a later event about the source settles against what the earlier one posted."""
    return uuid5(source_id, month.isoformat())


def targets(plan: FinancingPlan, source_id: UUID, quantities: Mapping[date, Decimal]) -> dict[Key, Target]:
    """What the ledger must hold per (month's reference, line): the month's units priced by the plan, split."""
    found: dict[Key, Target] = {}
    for month, quantity in sorted(quantities.items()):
        for line_id, amount in plan.parts_for(quantity).items():
            if amount:
                found[(reference(source_id, month), line_id)] = (quantity, amount)
    return found
