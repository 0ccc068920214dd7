"""Commitments on a step's start, and their release on withdrawal."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.errors import InvalidValue, LimitExceeded
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger
from funding_service.domain.money_view import MoneyView
from funding_service.domain.movements import consumption, release, step_commitment
from funding_service.domain.vocabulary import Stage

LINE_STATE = UUID("00000000-0000-4000-8000-00000000001a")
LINE_REGION = UUID("00000000-0000-4000-8000-00000000001b")
PERSON = UUID("00000000-0000-4000-8000-000000000001")
SESSION = UUID("00000000-0000-4000-8000-0000000000e1")
STARTED = UUID("00000000-0000-4000-8000-0000000000d1")


def person_balances(ledger: Ledger, person: UUID) -> dict[AccountKey, Decimal]:
    return {key: value for key, value in ledger.balances.items() if key.beneficiary_id == person}


def test_step_3_commits_400_hours_at_the_plan_cost_split_70_30(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    # 400 h x 12.50 € = 5,000 €: 3,500 € for the State, 1,500 € for the region.
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.COMMITTED, PERSON)) == Decimal("3500.00")
    assert ledger.balance(AccountKey.person(LINE_REGION, Stage.COMMITTED, PERSON)) == Decimal("1500.00")
    assert ledger.balance(AccountKey.line(LINE_STATE, Stage.AVAILABLE)) == Decimal("96500.00")


def test_the_course_planned_hours_replace_the_default(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, Decimal("380.5"), now, STARTED))
    view = MoneyView.of(person_balances(ledger, PERSON), whole_lines=False)
    assert view.committed == Decimal("4756.25")
    assert view.available is None


def test_a_commitment_for_more_than_the_line_has_left_is_refused_for_every_funder(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger(state="100000.00", region="1499.99")
    with pytest.raises(LimitExceeded) as refused:
        ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    assert refused.value.details()["available"] == "1499.99"
    assert refused.value.details()["budget_line_id"] == str(LINE_REGION)
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.COMMITTED, PERSON)) == 0


def test_zero_planned_hours_commit_nothing_and_are_refused(plan: FinancingPlan, now: datetime) -> None:
    with pytest.raises(InvalidValue):
        step_commitment(plan, PERSON, Decimal(0), now, STARTED)


def test_withdrawal_releases_what_is_committed_and_not_consumed_back_to_the_line(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    ledger.post(consumption(ledger, PERSON, LINE_STATE, Decimal("700.00"), now, SESSION))
    ledger.post(consumption(ledger, PERSON, LINE_REGION, Decimal("300.00"), now, SESSION))
    released = release(ledger, PERSON, [LINE_STATE, LINE_REGION], now)
    assert released is not None
    ledger.post(released)
    view = MoneyView.of(person_balances(ledger, PERSON), whole_lines=False)
    assert view.released == Decimal("4000.00")
    assert view.consumed == Decimal("1000.00")
    assert view.committed == Decimal("1000.00")
    assert ledger.balance(AccountKey.line(LINE_STATE, Stage.AVAILABLE)) == Decimal("99300.00")
    assert ledger.balance(AccountKey.line(LINE_REGION, Stage.AVAILABLE)) == Decimal("99700.00")


def test_a_second_withdrawal_releases_nothing(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    first = release(ledger, PERSON, [LINE_STATE, LINE_REGION], now)
    assert first is not None
    ledger.post(first)
    assert release(ledger, PERSON, [LINE_STATE, LINE_REGION], now) is None


def test_consumption_beyond_the_commitment_comes_from_what_the_line_has_available(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger(state="3600.00")
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    ledger.post(consumption(ledger, PERSON, LINE_STATE, Decimal("3550.00"), now, SESSION))
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.COMMITTED, PERSON)) == 0
    assert ledger.balance(AccountKey.line(LINE_STATE, Stage.AVAILABLE)) == Decimal("50.00")
    with pytest.raises(LimitExceeded):
        ledger.post(consumption(ledger, PERSON, LINE_STATE, Decimal("50.01"), now, SESSION))
