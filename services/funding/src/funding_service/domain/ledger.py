"""A double-entry ledger in the manner of TigerBeetle's accounts and transfers.

Accounts are per budget line and stage (and per person for the stages a person's money goes through).
A transaction is a set of postings whose debits equal its credits; it is kept whole or refused whole.
Nothing is ever changed or removed: a correction is a new transaction that reverses an earlier one.
An account's balance is its credits minus its debits, derived from the postings; every account except
the line's ``granted`` source carries TigerBeetle's "debits must not exceed credits" flag, which is what
makes a commitment stop at the line's available amount, a claim at what was consumed, an approval at
what was claimed and a payment at what was approved.

The service layer gives a ``Ledger`` the current balances of the accounts a write touches (read under
a lock) and keeps the postings and new balances the ledger accepted, in one database transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from uuid import UUID, uuid4

from funding_service.domain.errors import InvalidValue, LimitExceeded, UnbalancedTransaction
from funding_service.domain.money import ZERO, to_cent
from funding_service.domain.vocabulary import LINE_STAGES, Stage, TransactionKind


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


@dataclass(frozen=True, order=True)
class AccountKey:
    budget_line_id: UUID
    stage: Stage
    beneficiary_id: UUID | None = None
    # The key's fields as plain values, hashed once: a sheet of 100 people looks its 300 accounts up in sets and
    # dicts a dozen times each, and the generated ``__hash__``/``__eq__`` went through ``UUID.__hash__`` and
    # ``UUID.__eq__`` (Python methods) for both ids on every lookup.
    _identity: tuple[int, str, int | None] = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        per_line = self.stage in LINE_STAGES
        if per_line != (self.beneficiary_id is None):
            kind = "the whole line" if per_line else "one person"
            raise InvalidValue("account", f"a {self.stage} account belongs to {kind}")
        person = None if self.beneficiary_id is None else self.beneficiary_id.int
        identity = (self.budget_line_id.int, self.stage.value, person)
        object.__setattr__(self, "_identity", identity)
        object.__setattr__(self, "_hash", hash(identity))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AccountKey):
            return NotImplemented
        return self._identity == other._identity

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def line(cls, budget_line_id: UUID, stage: Stage) -> AccountKey:
        return _account_key(budget_line_id, stage, None)

    @classmethod
    def person(cls, budget_line_id: UUID, stage: Stage, beneficiary_id: UUID) -> AccountKey:
        return _account_key(budget_line_id, stage, beneficiary_id)

    @property
    def may_go_negative(self) -> bool:
        return self.stage is Stage.GRANTED


# A key is immutable, so one instance serves every caller: the movements name a sheet's 300 accounts about 500
# times, and building one (its check, its identity) costs three times a cached look-up. About 10 MB at most.
_account_key = lru_cache(maxsize=1 << 15)(AccountKey)


@dataclass(frozen=True)
class Posting:
    account: AccountKey
    side: Side
    amount: Decimal

    def __post_init__(self) -> None:
        amount = self.amount
        if not amount.is_finite() or amount <= 0 or (cents := to_cent(amount)) != amount:
            raise InvalidValue("posting.amount", "must be a positive amount in cents")
        object.__setattr__(self, "amount", cents)

    @property
    def effect(self) -> Decimal:
        return self.amount if self.side is Side.CREDIT else -self.amount

    def reversed(self) -> Posting:
        return Posting(self.account, Side.CREDIT if self.side is Side.DEBIT else Side.DEBIT, self.amount)


def transfer(debit: AccountKey, credit: AccountKey, amount: Decimal) -> tuple[Posting, Posting]:
    """Move an amount from one account to another: the ledger's basic pair of postings."""
    return Posting(debit, Side.DEBIT, amount), Posting(credit, Side.CREDIT, amount)


@dataclass(frozen=True)
class Transaction:
    kind: TransactionKind
    postings: tuple[Posting, ...]
    at: datetime
    transaction_id: UUID = field(default_factory=uuid4)
    reverses: UUID | None = None
    # What the money moved for (a session, a claim, a withdrawal): kept to trace and to reverse.
    reference_id: UUID | None = None

    def __post_init__(self) -> None:
        if not self.postings:
            raise InvalidValue("postings", "a transaction moves some money")
        debits = sum((p.amount for p in self.postings if p.side is Side.DEBIT), ZERO)
        credits = sum((p.amount for p in self.postings if p.side is Side.CREDIT), ZERO)
        if debits != credits:
            raise UnbalancedTransaction(debits, credits)

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.postings if p.side is Side.DEBIT), ZERO)

    @property
    def balanced(self) -> bool:
        return sum((p.effect for p in self.postings), ZERO) == ZERO

    def reversal(self, at: datetime, transaction_id: UUID | None = None) -> Transaction:
        return Transaction(
            TransactionKind.REVERSAL,
            tuple(p.reversed() for p in self.postings),
            at,
            transaction_id or uuid4(),
            reverses=self.transaction_id,
            reference_id=self.reference_id,
        )


@dataclass
class Ledger:
    """Balances of some accounts, and the transactions posted through this object, in order."""

    balances: dict[AccountKey, Decimal] = field(default_factory=dict)
    transactions: list[Transaction] = field(default_factory=list)

    @classmethod
    def of(cls, balances: Mapping[AccountKey, Decimal]) -> Ledger:
        return cls(balances=dict(balances))

    def balance(self, account: AccountKey) -> Decimal:
        return self.balances.get(account, ZERO)

    def post(self, transaction: Transaction) -> Transaction:
        """Keep the transaction if no limited account would go below zero; otherwise refuse it whole."""
        moved: dict[AccountKey, Decimal] = {}
        requested: dict[AccountKey, Decimal] = {}
        for posting in transaction.postings:
            moved[posting.account] = moved.get(posting.account, ZERO) + posting.effect
            if posting.side is Side.DEBIT:
                requested[posting.account] = requested.get(posting.account, ZERO) + posting.amount
        overdrawn = [
            account
            for account, change in moved.items()
            if change < 0 and not account.may_go_negative and self.balance(account) + change < 0
        ]
        if overdrawn:
            account = min(overdrawn)  # the same account named whatever the postings' order
            raise LimitExceeded(account.budget_line_id, account.stage, self.balance(account), requested[account])
        for account, change in moved.items():
            self.balances[account] = self.balance(account) + change
        self.transactions.append(transaction)
        return transaction

    def post_all(self, transactions: Iterable[Transaction]) -> list[Transaction]:
        return [self.post(t) for t in transactions]

    def reverse(self, transaction: Transaction, at: datetime) -> Transaction:
        return self.post(transaction.reversal(at))

    def recomputed(self) -> dict[AccountKey, Decimal]:
        """Balances derived again from this object's transactions alone (the check of the kept balances)."""
        derived: dict[AccountKey, Decimal] = {}
        for transaction in self.transactions:
            for posting in transaction.postings:
                derived[posting.account] = derived.get(posting.account, ZERO) + posting.effect
        return derived
