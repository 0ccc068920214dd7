"""One way to write to the ledger, for every movement: lock the accounts, check, keep.

1. lock the accounts the movement touches (created if missing), in one order for everyone;
2. give the domain's ``Ledger`` their balances and let it accept or refuse the transaction whole
   (``LimitExceeded`` → 409 naming what the account has);
3. keep the transaction, its postings and the new balances in the request's (or event's) transaction;
4. note the lines it gave money back to (``uow.refilled_lines``: unpaid support units may fit now).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.errors import LimitExceeded
from funding_service.domain.ledger import AccountKey, Ledger, Posting, Transaction
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import Stage, TransactionKind


async def post(
    uow: FundingUnitOfWork, accounts: Iterable[AccountKey], build: Callable[[Ledger], Transaction | None]
) -> Transaction | None:
    """``build`` makes the transaction from the locked balances (a consumption draws on the commitment first);
    the accounts it posts to must be among ``accounts``."""
    locked = set(accounts)
    ledger = Ledger.of(await uow.ledger.lock(locked))
    transaction = build(ledger)
    if transaction is None:
        return None
    unlocked = {posting.account for posting in transaction.postings} - locked
    if unlocked:
        raise RuntimeError(f"a movement posts to accounts it did not lock: {sorted(unlocked)}")
    ledger.post(transaction)
    await _write(uow, transaction, ledger)
    return transaction


async def _write(uow: FundingUnitOfWork, transaction: Transaction, ledger: Ledger) -> None:
    await uow.ledger.write(transaction, ledger.balances)
    gained: dict[UUID, Decimal] = {}
    for posting in transaction.postings:
        if posting.account.stage is Stage.AVAILABLE:
            line = posting.account.budget_line_id
            gained[line] = gained.get(line, ZERO) + posting.effect
    uow.refilled_lines.update(line for line, amount in gained.items() if amount > 0)


async def post_each(
    uow: FundingUnitOfWork,
    accounts: Iterable[AccountKey],
    builds: Sequence[Callable[[Ledger], Transaction | None]],
    kind: TransactionKind,
    at: datetime,
    reference_id: UUID | None,
) -> tuple[Transaction | None, list[int]]:
    """Like ``post`` for several movements that would otherwise go as one: each is checked against the balances
    the ones before it left, those that break a limit are left out (their indexes returned), and the rest are
    kept as one transaction."""
    locked = set(accounts)
    ledger = Ledger.of(await uow.ledger.lock(locked))
    postings: list[Posting] = []
    refused: list[int] = []
    for index, build in enumerate(builds):
        transaction = build(ledger)
        if transaction is None:
            continue
        if {posting.account for posting in transaction.postings} - locked:
            raise RuntimeError("a movement posts to accounts it did not lock")
        try:
            ledger.post(transaction)
        except LimitExceeded:
            refused.append(index)
            continue
        postings.extend(transaction.postings)
    if not postings:
        return None, refused
    kept = Transaction(kind, tuple(postings), at, reference_id=reference_id)
    await _write(uow, kept, ledger)
    return kept, refused
