"""A claim's life moves the money through the ledger: consumed → claimed → approved (or disallowed) → paid."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.actor import Actor
from funding_service.domain.claim import Claim, Unclaimed
from funding_service.domain.errors import LimitExceeded
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger
from funding_service.domain.money_view import MoneyView
from funding_service.domain.movements import claim_decision, claim_submission, consumption, payment, step_commitment
from funding_service.domain.vocabulary import CostType, Stage

LINE_STATE = UUID("00000000-0000-4000-8000-00000000001a")
ANNA = UUID("00000000-0000-4000-8000-000000000001")
SESSION = UUID("00000000-0000-4000-8000-0000000000e1")
LATER = datetime(2025, 12, 31, tzinfo=UTC)


@pytest.fixture
def ledger(plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime) -> Ledger:
    """Anna committed for step 3 and 87.50 € of the State's part consumed in September."""
    found = funded_ledger()
    found.post(step_commitment(plan, ANNA, None, now, UUID(int=1)))
    found.post(consumption(found, ANNA, LINE_STATE, Decimal("87.50"), now, SESSION))
    return found


def a_claim(operator: Actor, amount: str = "87.50") -> Claim:
    unclaimed = [Unclaimed(ANNA, LINE_STATE, CostType.TRAINING_HOURS, date(2025, 9, 1), Decimal(amount))]
    built = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)
    return Claim.build(UUID(int=9), UUID(int=8), (date(2025, 9, 1), date(2025, 9, 30)), unclaimed, operator, built)


def view(ledger: Ledger) -> MoneyView:
    return MoneyView.of({k: v for k, v in ledger.balances.items() if k.beneficiary_id == ANNA}, whole_lines=False)


def test_a_claim_approved_for_less_and_paid_leaves_the_difference_disallowed(ledger: Ledger, operator: Actor) -> None:
    claim = a_claim(operator)
    claim.submit(date(2025, 10, 1), operator, LATER)
    submitted = claim_submission(claim.claimed_by_line(), LATER, claim.claim_id)
    assert submitted is not None
    ledger.post(submitted)
    claim.approve({(ANNA, LINE_STATE): (Decimal("80.00"), "hours_not_evidenced")}, date(2025, 10, 9), operator, LATER)
    decided = claim_decision(claim.claimed_by_line(), claim.approved_by_line(), LATER, claim.claim_id)
    assert decided is not None
    ledger.post(decided)
    settled = claim.pay("VIR-2025-10-77", date(2025, 10, 20), Decimal("80.00"), operator, LATER)
    paid = payment(settled, LATER, claim.claim_id)
    assert paid is not None
    ledger.post(paid)
    assert (view(ledger).claimed, view(ledger).approved, view(ledger).paid) == (
        Decimal("87.50"),
        Decimal("80.00"),
        Decimal("80.00"),
    )
    assert view(ledger).disallowed == Decimal("7.50")
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.CONSUMED, ANNA)) == 0


def test_a_returned_claim_gives_its_amounts_back_to_consumed_by_a_reversal(ledger: Ledger, operator: Actor) -> None:
    claim = a_claim(operator)
    claim.submit(date(2025, 10, 1), operator, LATER)
    submitted = claim_submission(claim.claimed_by_line(), LATER, claim.claim_id)
    assert submitted is not None
    ledger.post(submitted)
    claim.return_for_changes("Attendance sheet for 1 Sept missing", date(2025, 10, 2), operator, LATER)
    ledger.reverse(submitted, LATER)
    assert view(ledger).claimed == 0
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.CONSUMED, ANNA)) == Decimal("87.50")


def test_a_rejected_claim_sends_everything_claimed_to_disallowed(ledger: Ledger, operator: Actor) -> None:
    claim = a_claim(operator)
    claim.submit(date(2025, 10, 1), operator, LATER)
    submitted = claim_submission(claim.claimed_by_line(), LATER, claim.claim_id)
    assert submitted is not None
    ledger.post(submitted)
    claim.reject("out_of_scope", date(2025, 10, 3), operator, LATER)
    decided = claim_decision(claim.claimed_by_line(), claim.approved_by_line(), LATER, claim.claim_id)
    assert decided is not None
    ledger.post(decided)
    assert (view(ledger).approved, view(ledger).disallowed) == (Decimal("0.00"), Decimal("87.50"))


def test_a_claim_for_more_than_was_consumed_is_refused_by_the_ledger(ledger: Ledger, operator: Actor) -> None:
    claim = a_claim(operator, amount="87.51")
    submitted = claim_submission(claim.claimed_by_line(), LATER, claim.claim_id)
    assert submitted is not None
    with pytest.raises(LimitExceeded) as refused:
        ledger.post(submitted)
    assert refused.value.details()["stage"] == "consumed"
    assert refused.value.details()["available"] == "87.50"
    assert "claim exceeds what was consumed" in refused.value.detail
