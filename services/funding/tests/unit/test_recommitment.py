"""A step commitment moved to its course's new planned hours: the difference committed or released."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.errors import LimitExceeded
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger
from funding_service.domain.movements import consumption, recommitment, step_commitment
from funding_service.domain.vocabulary import Stage, TransactionKind

LINE_STATE = UUID("00000000-0000-4000-8000-00000000001a")
LINE_REGION = UUID("00000000-0000-4000-8000-00000000001b")
PERSON = UUID("00000000-0000-4000-8000-000000000001")
STARTED = UUID("00000000-0000-4000-8000-0000000000d1")


def changes(plan: FinancingPlan, before: str, after: str) -> dict[UUID, Decimal]:
    old, new = plan.parts_for(Decimal(before)), plan.parts_for(Decimal(after))
    return {line: new[line] - old[line] for line in old}


def committed(ledger: Ledger, line: UUID) -> Decimal:
    return ledger.balance(AccountKey.person(line, Stage.COMMITTED, PERSON))


def conserved(ledger: Ledger, line: UUID) -> bool:
    """What the line holds anywhere equals what was granted on it."""
    return sum((v for k, v in ledger.balances.items() if k.budget_line_id == line), Decimal(0)) == 0


def test_more_hours_commit_the_difference_split_like_the_plan(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    moved = recommitment(ledger, PERSON, changes(plan, "400", "420"), now, STARTED)
    assert moved is not None
    assert moved.kind is TransactionKind.COMMITMENT
    ledger.post(moved)
    # 420 h x 12.50 € = 5,250 €: 3,675 € / 1,575 €.
    assert (committed(ledger, LINE_STATE), committed(ledger, LINE_REGION)) == (Decimal("3675.00"), Decimal("1575.00"))
    assert conserved(ledger, LINE_STATE)
    assert conserved(ledger, LINE_REGION)


def test_fewer_hours_release_the_difference_back_to_the_lines(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    moved = recommitment(ledger, PERSON, changes(plan, "400", "380"), now, STARTED)
    assert moved is not None
    assert moved.kind is TransactionKind.RELEASE
    ledger.post(moved)
    assert committed(ledger, LINE_STATE) == Decimal("3325.00")
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.RELEASED, PERSON)) == Decimal("175.00")
    assert ledger.balance(AccountKey.line(LINE_STATE, Stage.AVAILABLE)) == Decimal("96675.00")
    assert conserved(ledger, LINE_STATE)


def test_a_decrease_never_gives_back_what_was_already_consumed(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    ledger.post(consumption(ledger, PERSON, LINE_STATE, Decimal("3400.00"), now, STARTED))
    moved = recommitment(ledger, PERSON, changes(plan, "400", "200"), now, STARTED)
    assert moved is not None
    ledger.post(moved)
    # 1,750 € less on the State's line, but only 100 € was still committed there.
    assert committed(ledger, LINE_STATE) == 0
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.RELEASED, PERSON)) == Decimal("100.00")
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.CONSUMED, PERSON)) == Decimal("3400.00")
    assert committed(ledger, LINE_REGION) == Decimal("750.00")


def test_an_increase_beyond_a_line_is_refused_whole(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger(state="100000.00", region="1600.00")
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    moved = recommitment(ledger, PERSON, changes(plan, "400", "440"), now, STARTED)
    assert moved is not None
    with pytest.raises(LimitExceeded):
        ledger.post(moved)
    assert (committed(ledger, LINE_STATE), committed(ledger, LINE_REGION)) == (Decimal("3500.00"), Decimal("1500.00"))


def test_no_change_moves_nothing(plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime) -> None:
    ledger = funded_ledger()
    ledger.post(step_commitment(plan, PERSON, None, now, STARTED))
    assert recommitment(ledger, PERSON, changes(plan, "400", "400"), now, STARTED) is None
