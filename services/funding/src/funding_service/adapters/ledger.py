"""The ledger in the database: accounts with their balances, transactions and postings (insert only).

Writers lock the accounts a transaction touches, in one order for everyone (by account id), so two writers
never deadlock: the second waits on the shared row (a line's ``available``) and then reads what the first
committed. On SQLite, creating the accounts first (an INSERT, even one that ignores every row) takes the
database's write lock, which gives the same queueing. Balances change by ``balance + change`` and a CHECK
refuses a limited account below zero, so even a bug above cannot overdraw a line.

While a run of sheets is applied in one transaction (``hold_writes``, see ``service_layer.sheet_runs``), the
accounts locked are kept with their balances as this transaction moved them, so that a sheet's accounts locked by
an earlier sheet of the run are not read again, and the transactions kept wait in memory: they are written, with
each account's summed change, in one statement (``flush``) before any read of the ledger's tables, once 10,000
postings wait, when the run ends and before the commit. What is written is what the sheets one by one would have
written. The run locks every existing account it may post to first, in one statement (``lock_existing``); only
accounts its sheets create are locked after (the lock order's one exception, see ``sheet_runs``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5
from weakref import WeakKeyDictionary

from sqlalchemy import DateTime, Engine, Numeric, String, Uuid, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.tables import accounts, agreements, budget_lines, ledger_transactions, postings
from funding_service.domain.ledger import AccountKey, Transaction
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import Stage
from hopekit.db.sets import among
from hopekit.db.upsert import insert_ignore

_ACCOUNTS = uuid5(NAMESPACE_URL, "urn:hope:funding:accounts")
# On PostgreSQL movements are kept in one statement: the transactions, their postings from arrays (a sheet of 100
# posts 200) and the balances they move (the rows are locked already). The postings' foreign key to their
# transaction is checked at the statement's end, when both are there. Postings are inserted in the order given.
_KEEP = text(
    "WITH kept AS ("
    " INSERT INTO ledger_transactions (id, kind, at, reverses, reference_id)"
    " SELECT * FROM unnest(CAST(:transactions AS uuid[]), CAST(:kinds AS varchar[]),"
    " CAST(:ats AS timestamptz[]), CAST(:reverses AS uuid[]), CAST(:references AS uuid[]))),"
    " posted AS ("
    " INSERT INTO postings (transaction_id, account_id, side, amount)"
    " SELECT * FROM unnest(CAST(:posted_in AS uuid[]), CAST(:accounts AS uuid[]), CAST(:sides AS varchar[]),"
    " CAST(:amounts AS numeric[])))"
    " UPDATE accounts SET balance = accounts.balance + moved.change"
    " FROM unnest(CAST(:ids AS uuid[]), CAST(:changes AS numeric[])) AS moved(id, change)"
    " WHERE accounts.id = moved.id"
).bindparams(
    bindparam("transactions", type_=ARRAY(Uuid())),
    bindparam("kinds", type_=ARRAY(String())),
    bindparam("ats", type_=ARRAY(DateTime(timezone=True))),
    bindparam("reverses", type_=ARRAY(Uuid())),
    bindparam("references", type_=ARRAY(Uuid())),
    bindparam("posted_in", type_=ARRAY(Uuid())),
    bindparam("accounts", type_=ARRAY(Uuid())),
    bindparam("sides", type_=ARRAY(String())),
    bindparam("amounts", type_=ARRAY(Numeric())),
    bindparam("ids", type_=ARRAY(Uuid())),
    bindparam("changes", type_=ARRAY(Numeric())),
)


@lru_cache(maxsize=1 << 15)
def account_id(key: AccountKey) -> UUID:
    """One id per (line, stage, person), the same in every process: the account's natural key as a UUID.
    Remembered: a sheet of 100 people names 300 accounts several times each, and a uuid5 is a SHA-1."""
    return uuid5(_ACCOUNTS, f"{key.budget_line_id}:{key.stage.value}:{key.beneficiary_id or ''}")


def _lock_order(key: AccountKey) -> int:
    """Accounts in id order, as PostgreSQL orders uuids (their bytes, that is their integer): compared as ints,
    not through ``UUID.__lt__`` (a Python method; sorting a sheet's 300 accounts calls it 2,500 times)."""
    return account_id(key).int


# Per database, the accounts this process has seen (they are never removed; see ``LedgerRepository.lock``), up to
# about 20 MB of ids: past that the set starts again empty (its accounts are inserted, and ignored, once more).
_KNOWN: WeakKeyDictionary[Engine, set[UUID]] = WeakKeyDictionary()
_KNOWN_AT_MOST = 200_000


def _known_accounts(connection: AsyncConnection) -> set[UUID]:
    if connection.dialect.name != "postgresql":
        return set()
    known = _KNOWN.setdefault(connection.sync_engine, set())
    if len(known) > _KNOWN_AT_MOST:
        known.clear()
    return known


# Held postings are written once this many wait, so that a poll of 500 sheets does not keep 100,000 postings in
# memory: each write still covers 50 sheets of 100 people.
_HELD_AT_MOST = 10_000


def _key(row: object) -> AccountKey:
    mapping = row._mapping  # type: ignore[attr-defined]
    return AccountKey(mapping["budget_line_id"], Stage(mapping["stage"]), mapping["beneficiary_id"])


class LedgerRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        # A line's agreement and funder never change: read once per unit of work (a poll of sheets reads them once).
        self._owners: dict[UUID, tuple[UUID, UUID]] = {}
        # While writes are held (``hold_writes``): the accounts locked in this transaction, with their balances as
        # it moved them, and the transactions kept but not yet written.
        self._held: dict[AccountKey, Decimal] | None = None
        self._pending: list[Transaction] = []
        self._pending_postings = 0

    def hold_writes(self) -> None:
        """From now on, locked accounts are remembered and kept transactions wait for ``flush``."""
        if self._held is None:
            self._held = {}

    async def release_writes(self) -> None:
        """Write what waits and go back to writing at once."""
        await self.flush()
        self._held = None

    async def flush(self) -> None:
        """Write the transactions that wait, in the order they were kept, and their accounts' summed changes."""
        if not self._pending:
            return
        pending, self._pending, self._pending_postings = self._pending, [], 0
        assert self._held is not None  # only held writes wait
        await self._keep(pending, self._held)

    async def owners(self, line_ids: Iterable[UUID]) -> dict[UUID, tuple[UUID, UUID]]:
        """Per line: its agreement and the agreement's funder."""
        lines = set(line_ids)
        missing = sorted(lines - self._owners.keys())
        if missing:
            rows = await self._connection.execute(
                select(budget_lines.c.id, budget_lines.c.agreement_id, agreements.c.funder_id)
                .join(agreements, agreements.c.id == budget_lines.c.agreement_id)
                .where(budget_lines.c.id.in_(missing))
            )
            self._owners.update({row.id: (row.agreement_id, row.funder_id) for row in rows})
        return {line: self._owners[line] for line in lines if line in self._owners}

    async def lock(self, keys: Iterable[AccountKey]) -> dict[AccountKey, Decimal]:
        """Create the missing accounts, then lock them all in id order; their balances as committed now.

        On PostgreSQL the accounts this process saw already are not inserted again (a sheet's 200 person accounts
        exist after its people's first sheet): the row lock, not the INSERT, queues the writers there. If one
        of them is gone after all (the transaction that created it rolled back), every account is created and
        locked once more. SQLite inserts every time: that INSERT is what takes its write lock."""
        if self._held is not None:
            held = self._held
            asked = set(keys)
            missing = [key for key in asked if key not in held]
            if missing:
                held.update(await self._lock(missing))
            return {key: held[key] for key in asked if key in held}
        return await self._lock(keys)

    async def lock_existing(self, keys: Iterable[AccountKey]) -> None:
        """While writes are held, on PostgreSQL: lock those of the accounts that exist, in one statement and in the
        one order, and remember them (a run of sheets locks every account it may need at once). Nothing is created:
        an account no sheet posts to stays unmade, as one by one. SQLite locks nothing here: its write lock is
        taken by the INSERT of ``lock``."""
        if self._held is None or self._connection.dialect.name != "postgresql":
            return
        wanted = sorted({key for key in keys if key not in self._held}, key=_lock_order)
        if wanted:
            self._held.update(await self._locked(wanted, [account_id(key) for key in wanted]))

    async def _lock(self, keys: Iterable[AccountKey]) -> dict[AccountKey, Decimal]:
        wanted = sorted(set(keys), key=_lock_order)
        if not wanted:
            return {}
        ids = [account_id(key) for key in wanted]
        known = _known_accounts(self._connection)
        await self._create([key for key, id_ in zip(wanted, ids, strict=True) if id_ not in known])
        found = await self._locked(wanted, ids)
        if len(found) < len(wanted):
            known.difference_update(ids)
            await self._create(wanted)
            found = await self._locked(wanted, ids)
        if self._connection.dialect.name == "postgresql":
            known.update(ids)
        return found

    async def _create(self, keys: list[AccountKey]) -> None:
        if not keys:
            return
        owners = await self.owners({key.budget_line_id for key in keys})
        await insert_ignore(
            self._connection,
            accounts,
            [
                {
                    "id": account_id(key),
                    "budget_line_id": key.budget_line_id,
                    "stage": key.stage.value,
                    "beneficiary_id": key.beneficiary_id,
                    "agreement_id": owners[key.budget_line_id][0],
                    "funder_id": owners[key.budget_line_id][1],
                    "balance": ZERO,
                }
                for key in keys
            ],
        )

    async def _locked(self, keys: list[AccountKey], ids: list[UUID]) -> dict[AccountKey, Decimal]:
        query = (
            select(accounts.c.id, accounts.c.balance)
            .where(among(self._connection, accounts.c.id, ids))
            .order_by(accounts.c.id)
            .with_for_update()
        )
        key_of = dict(zip(ids, keys, strict=True))
        return {key_of[id_]: balance for id_, balance in await self._connection.execute(query)}

    async def write(self, transaction: Transaction, balances: Mapping[AccountKey, Decimal]) -> None:
        """Keep a transaction the domain's ledger accepted, and move the balances it changes (``balances``: the
        ledger's balances after it, computed in ``Decimal`` from the locked rows). Held writes wait for ``flush``."""
        if self._held is not None:
            for posting in transaction.postings:
                self._held[posting.account] = balances[posting.account]
            self._pending.append(transaction)
            self._pending_postings += len(transaction.postings)
            if self._pending_postings >= _HELD_AT_MOST:
                await self.flush()
            return
        await self._keep([transaction], balances)

    async def _keep(self, kept: list[Transaction], balances: Mapping[AccountKey, Decimal]) -> None:
        """Write transactions and move their accounts' balances (``balances``: each account's after them all)."""
        if self._connection.dialect.name == "postgresql":
            changes: dict[AccountKey, Decimal] = {}
            for transaction in kept:
                for p in transaction.postings:
                    changes[p.account] = changes.get(p.account, ZERO) + p.effect
            moved = sorted((_lock_order(key), account_id(key), change) for key, change in changes.items() if change)
            every = [(transaction, p) for transaction in kept for p in transaction.postings]
            await self._connection.execute(
                _KEEP,
                {
                    "transactions": [transaction.transaction_id for transaction in kept],
                    "kinds": [transaction.kind.value for transaction in kept],
                    "ats": [transaction.at for transaction in kept],
                    "reverses": [transaction.reverses for transaction in kept],
                    "references": [transaction.reference_id for transaction in kept],
                    "posted_in": [transaction.transaction_id for transaction, _ in every],
                    "accounts": [account_id(p.account) for _, p in every],
                    "sides": [p.side.value for _, p in every],
                    "amounts": [p.amount for _, p in every],
                    "ids": [account for _, account, _ in moved],
                    "changes": [change for _, _, change in moved],
                },
            )
            return
        await self._connection.execute(
            insert(ledger_transactions),
            [
                {
                    "id": transaction.transaction_id,
                    "kind": transaction.kind.value,
                    "at": transaction.at,
                    "reverses": transaction.reverses,
                    "reference_id": transaction.reference_id,
                }
                for transaction in kept
            ],
        )
        await self._connection.execute(
            insert(postings),
            [
                {
                    "transaction_id": transaction.transaction_id,
                    "account_id": account_id(p.account),
                    "side": p.side.value,
                    "amount": p.amount,
                }
                for transaction in kept
                for p in transaction.postings
            ],
        )
        # SQLite keeps NUMERIC as a binary float: ``balance + change`` there could drift below zero by a hair.
        # Its write lock is held since the accounts were created, so the Decimal balances are current.
        touched = {p.account for transaction in kept for p in transaction.postings}
        await self._connection.execute(
            update(accounts).where(accounts.c.id == bindparam("account")).values(balance=bindparam("value")),
            [{"account": account_id(key), "value": balances[key]} for key in sorted(touched, key=account_id)],
        )

    async def balances(self, keys: Iterable[AccountKey]) -> dict[AccountKey, Decimal]:
        """Balances without a lock, for reads only."""
        await self.flush()
        ids = [account_id(key) for key in set(keys)]
        if not ids:
            return {}
        query = select(
            accounts.c.budget_line_id, accounts.c.stage, accounts.c.beneficiary_id, accounts.c.balance
        ).where(accounts.c.id.in_(ids))
        return {_key(row): row.balance for row in await self._connection.execute(query)}

    async def person_lines(self, beneficiary_id: UUID, stage: Stage) -> list[UUID]:
        await self.flush()
        query = select(accounts.c.budget_line_id).where(
            accounts.c.beneficiary_id == beneficiary_id, accounts.c.stage == stage.value
        )
        return sorted(row.budget_line_id for row in await self._connection.execute(query))

    async def balances_where(self, **where: object) -> dict[AccountKey, Decimal]:
        """Balances of every account matching equalities on ``agreement_id``, ``funder_id`` or ``beneficiary_id``."""
        await self.flush()
        query = select(accounts.c.budget_line_id, accounts.c.stage, accounts.c.beneficiary_id, accounts.c.balance)
        for column, value in where.items():
            query = query.where(accounts.c[column] == value)
        return {_key(row): row.balance for row in await self._connection.execute(query)}

    async def stage_totals(self, people: Iterable[UUID] | None = None, **where: object) -> dict[Stage, Decimal]:
        """Balances summed per stage over the accounts matching ``where`` (and belonging to ``people``)."""
        await self.flush()
        query = select(accounts.c.stage, func.sum(accounts.c.balance).label("total")).group_by(accounts.c.stage)
        for column, value in where.items():
            query = query.where(accounts.c[column] == value)
        if people is not None:
            query = query.where(among(self._connection, accounts.c.beneficiary_id, people))
        return {Stage(row.stage): Decimal(row.total) for row in await self._connection.execute(query)}

    async def balances_of_people(self, people: Iterable[UUID]) -> dict[AccountKey, Decimal]:
        await self.flush()
        ids = list(people)
        if not ids:
            return {}
        query = select(
            accounts.c.budget_line_id, accounts.c.stage, accounts.c.beneficiary_id, accounts.c.balance
        ).where(accounts.c.beneficiary_id.in_(ids))
        return {_key(row): row.balance for row in await self._connection.execute(query)}

    async def recomputed(self) -> Mapping[UUID, Decimal]:
        """Every account's balance derived again from the postings (the check of the kept balances)."""
        await self.flush()
        derived: dict[UUID, Decimal] = {}
        for row in await self._connection.execute(select(postings.c.account_id, postings.c.side, postings.c.amount)):
            sign = 1 if row.side == "credit" else -1
            derived[row.account_id] = derived.get(row.account_id, ZERO) + sign * row.amount
        return derived
