"""One way to write to the ledger, for every movement: lock the accounts, check, keep.

1. lock the accounts the movement touches (created if missing), in one order for everyone;
2. give the domain's ``Ledger`` their balances and let it accept or refuse the transaction whole
   (``LimitExceeded`` → 409 naming what the account has);
3. keep the transaction, its postings and the new balances in the request's (or event's) transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.errors import LimitExceeded
from funding_service.domain.ledger import AccountKey, Ledger, Posting, Transaction
from funding_service.domain.vocabulary import TransactionKind


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
    await uow.ledger.write(transaction, ledger.balances)
    return transaction


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
    await uow.ledger.write(kept, ledger.balances)
    return kept, refused
