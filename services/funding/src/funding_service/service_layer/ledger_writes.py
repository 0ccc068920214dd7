"""One way to write to the ledger, for every movement: lock the accounts, check, keep.

1. lock the accounts the movement touches (created if missing), in one order for everyone;
2. give the domain's ``Ledger`` their balances and let it accept or refuse the transaction whole
   (``LimitExceeded`` → 409 naming what the account has);
3. keep the transaction, its postings and the new balances in the request's (or event's) transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.ledger import AccountKey, Ledger, Transaction


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
    await uow.ledger.write(transaction)
    return transaction
