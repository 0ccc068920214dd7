"""The ledger keeps balanced transactions only, refuses whole what breaks a limit, and never changes the past."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.errors import InvalidValue, LimitExceeded, UnbalancedTransaction
from funding_service.domain.ledger import AccountKey, Ledger, Posting, Side, Transaction, transfer
from funding_service.domain.vocabulary import Stage, TransactionKind

LINE = UUID("00000000-0000-4000-8000-00000000001a")
PERSON = UUID("00000000-0000-4000-8000-000000000001")
AVAILABLE = AccountKey.line(LINE, Stage.AVAILABLE)
GRANTED = AccountKey.line(LINE, Stage.GRANTED)
COMMITTED = AccountKey.person(LINE, Stage.COMMITTED, PERSON)


def test_a_transaction_whose_debits_differ_from_its_credits_is_refused(now: datetime) -> None:
    with pytest.raises(UnbalancedTransaction) as refused:
        Transaction(
            TransactionKind.GRANT,
            (Posting(GRANTED, Side.DEBIT, Decimal("10.00")), Posting(AVAILABLE, Side.CREDIT, Decimal("9.99"))),
            now,
        )
    assert refused.value.details() == {"debits": "10.00", "credits": "9.99"}


@pytest.mark.parametrize("amount", ["0", "-1.00", "0.001"])
def test_a_posting_moves_a_positive_amount_in_cents(amount: str) -> None:
    with pytest.raises(InvalidValue):
        Posting(AVAILABLE, Side.DEBIT, Decimal(amount))


def test_line_stages_belong_to_the_line_and_the_others_to_one_person() -> None:
    with pytest.raises(InvalidValue):
        AccountKey(LINE, Stage.AVAILABLE, PERSON)
    with pytest.raises(InvalidValue):
        AccountKey(LINE, Stage.COMMITTED)


def test_balances_are_credits_minus_debits_and_the_source_goes_negative(now: datetime) -> None:
    ledger = Ledger()
    ledger.post(Transaction(TransactionKind.GRANT, transfer(GRANTED, AVAILABLE, Decimal("500.00")), now))
    assert ledger.balance(AVAILABLE) == Decimal("500.00")
    assert ledger.balance(GRANTED) == Decimal("-500.00")
    assert ledger.recomputed() == ledger.balances


def test_a_movement_beyond_a_balance_is_refused_whole_and_names_what_is_available(now: datetime) -> None:
    ledger = Ledger()
    ledger.post(Transaction(TransactionKind.GRANT, transfer(GRANTED, AVAILABLE, Decimal("500.00")), now))
    before = dict(ledger.balances)
    with pytest.raises(LimitExceeded) as refused:
        ledger.post(Transaction(TransactionKind.COMMITMENT, transfer(AVAILABLE, COMMITTED, Decimal("500.01")), now))
    assert refused.value.category == "conflict"
    assert refused.value.details() == {
        "budget_line_id": str(LINE),
        "stage": "available",
        "available": "500.00",
        "requested": "500.01",
    }
    assert "what the budget line has available" in refused.value.detail
    assert ledger.balances == before
    assert len(ledger.transactions) == 1


def test_a_reversal_is_a_new_transaction_that_undoes_an_earlier_one(now: datetime) -> None:
    ledger = Ledger()
    ledger.post(Transaction(TransactionKind.GRANT, transfer(GRANTED, AVAILABLE, Decimal("500.00")), now))
    commitment = ledger.post(
        Transaction(TransactionKind.COMMITMENT, transfer(AVAILABLE, COMMITTED, Decimal("120.00")), now)
    )
    reversal = ledger.reverse(commitment, now)
    assert reversal.reverses == commitment.transaction_id
    assert ledger.balance(AVAILABLE) == Decimal("500.00")
    assert ledger.balance(COMMITTED) == Decimal("0.00")
    assert ledger.transactions[1] is commitment
    assert len(ledger.transactions) == 3


def test_a_reversal_that_would_break_a_limit_is_refused(now: datetime) -> None:
    ledger = Ledger()
    granted = ledger.post(Transaction(TransactionKind.GRANT, transfer(GRANTED, AVAILABLE, Decimal("500.00")), now))
    ledger.post(Transaction(TransactionKind.COMMITMENT, transfer(AVAILABLE, COMMITTED, Decimal("400.00")), now))
    with pytest.raises(LimitExceeded):
        ledger.reverse(granted, now)
