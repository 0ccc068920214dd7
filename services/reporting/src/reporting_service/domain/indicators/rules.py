"""Each indicator's definition in code: what one person contributes to it.

A rule returns the person's contributions (none when the person is outside the indicator's population): the
date that places it in a period (``from``/``to`` and the months of a series), the category it counts in, and
the values the figure sums or ranks. The adapters compute the same figures in SQL; an integration test holds
the two to the same answers on the same facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reporting_service.domain.indicators.facts import EMPLOYED_OUTCOMES, ON_THE_PATH, PersonFacts


@dataclass(frozen=True)
class Contribution:
    on: date
    category: str
    values: dict[str, Decimal] = field(default_factory=dict)
    # A dimension the person does not carry alone (the funder of a money row).
    dimensions: dict[str, str] = field(default_factory=dict)


Rule = Callable[[PersonFacts, date], list[Contribution]]


def entries(person: PersonFacts, as_of: date) -> list[Contribution]:
    return [Contribution(person.registered_on, "entered")] if person.registered_on else []


def people_per_step(person: PersonFacts, as_of: date) -> list[Contribution]:
    if person.registered_on is None or person.status not in ON_THE_PATH:
        return []
    return [Contribution(person.registered_on, person.status)]


def people_without_housing(person: PersonFacts, as_of: date) -> list[Contribution]:
    """Those still on the path, housed or not on the night of ``as_of`` (the day the figures are complete to)."""
    if person.registered_on is None or person.status not in ON_THE_PATH:
        return []
    housed = any(placement.covers(as_of) for placement in person.housing)
    return [Contribution(person.registered_on, "housed" if housed else "not_housed")]


def work_study_contracts(person: PersonFacts, as_of: date) -> list[Contribution]:
    """Each contract signed, by its type, counted in ``contracts`` (a person with two counts once among people)."""
    return [
        Contribution(contract.signed_on, contract.contract_type, {"contracts": Decimal(1)})
        for contract in person.contracts
    ]


def time_in_step(person: PersonFacts, as_of: date) -> list[Contribution]:
    found = []
    for step, started in sorted(person.step_started.items()):
        ended = person.step_completed.get(step)
        if ended is not None and ended >= started:
            found.append(Contribution(ended, f"step_{step}", {"days": Decimal((ended - started).days)}))
    return found


def dropouts_by_reason(person: PersonFacts, as_of: date) -> list[Contribution]:
    if person.withdrawn_on is None:
        return []
    return [Contribution(person.withdrawn_on, person.withdrawal_reason or "other")]


def attendance_rate(person: PersonFacts, as_of: date) -> list[Contribution]:
    return [
        Contribution(month, "attended", {"recorded": hours.recorded, "attended": hours.attended})
        for month, hours in sorted(person.attendance.items())
        if hours.recorded > 0
    ]


FRENCH_LEVELS = {"pre_A1": "A1_or_below", "A1": "A1_or_below", "A2": "A2", "B1": "B1"}


def french_certification(person: PersonFacts, as_of: date) -> list[Contribution]:
    ended = person.step_completed.get(3)
    if ended is None:
        return []
    level = person.level_after_step3
    category = "not_assessed" if level is None else FRENCH_LEVELS.get(level, "B2_or_above")
    return [Contribution(ended, category)]


def trade_qualification(person: PersonFacts, as_of: date) -> list[Contribution]:
    if person.qualification_result is None or person.qualification_on is None:
        return []
    return [Contribution(person.qualification_on, person.qualification_result)]


def _left_after_starting_step3(person: PersonFacts) -> date | None:
    """DESIGN.md §7's denominator: everyone who left the path (withdrawn or completed) after starting step 3.
    Someone withdrawn before step 3 never started it and is outside."""
    left = person.left_on
    started = person.step_started.get(3)
    return left if left is not None and started is not None and started <= left else None


def employment_at_exit(person: PersonFacts, as_of: date) -> list[Contribution]:
    left = _left_after_starting_step3(person)
    if left is None:
        return []
    outcome = person.exit_outcome
    category = "no_outcome" if outcome is None else "employed" if outcome in EMPLOYED_OUTCOMES else "not_employed"
    return [Contribution(left, category)]


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")


def employment_after(months: int) -> Rule:
    """Employment ``months`` after exit, over the same leavers once that date has passed: unreachable people
    and follow-ups nobody recorded stay in the denominator, each as their own share."""

    def rule(person: PersonFacts, as_of: date) -> list[Contribution]:
        left = _left_after_starting_step3(person)
        if left is None or add_months(left, months) > as_of:
            return []
        follow_up = person.follow_ups.get(months)
        if follow_up is None:
            category = "not_recorded"
        elif follow_up.status == "unreachable":
            category = "unreachable"
        else:
            category = "employed" if follow_up.outcome_code in EMPLOYED_OUTCOMES else "not_employed"
        return [Contribution(left, category)]

    rule.__name__ = f"employment_after_{months}_months"
    return rule


def money_by_funder(person: PersonFacts, as_of: date) -> list[Contribution]:
    if person.registered_on is None:
        return []
    return [
        Contribution(
            person.registered_on,
            "financed",
            {"committed": m.committed, "consumed": m.consumed, "claimed": m.claimed, "paid": m.paid},
            {"funder": str(m.funder_id)},
        )
        for m in person.money
    ]


def cost_per_person(person: PersonFacts, as_of: date) -> list[Contribution]:
    if person.registered_on is None or not person.money:
        return []
    consumed = sum((m.consumed for m in person.money), Decimal(0))
    employed = bool(employment_at_exit(person, as_of)) and person.exit_outcome in EMPLOYED_OUTCOMES
    return [Contribution(person.registered_on, "employed" if employed else "not_employed", {"consumed": consumed})]
