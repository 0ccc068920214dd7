"""Enrolment's cohorts as the services that act on them keep them: who supports each cohort, and what else of
enrolment's ``cohort.created`` a service reads (who trains it, its track, sector and region).

To adopt it, a service adds the table to its metadata (``add_cohort_table`` naming the fields it reads; the
support provider is always kept), puts a ``CohortRepository`` on its unit of work, and its use case for
``enrolment.CohortCreated`` calls ``note`` before whatever else a cohort's arrival means to it (its calendar,
files to open, paths to complete). Queries that join the table to the service's own stay in the service.

Enrolment publishes one ``cohort.created`` per cohort and never changes those fields afterwards, so writing the
event's values over what is held is idempotent and needs no ordering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Column, MetaData, String, Table, Uuid, func, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeEngine

from hope_contracts import enrolment
from hopekit.db.advisory import lock_key
from hopekit.db.upsert import upsert

TABLE_NAME = "cohorts"

# Advisory locks of two 32-bit keys, a space apart from the one-key locks (the outbox relay's): this class, then the
# cohort's id folded to 32 bits (two cohorts that fold alike only wait for each other).
_LOCK_CLASS = 0x636F68  # "coh"


CohortField = Literal["track", "sector_code", "region", "training_provider_org_id"]

# In this order in the table; the widths leave room beyond the contracts' codes (the longest sector: 20 characters).
_TYPES: dict[str, TypeEngine[Any]] = {
    "track": String(16),
    "sector_code": String(64),
    "region": String(64),
    "training_provider_org_id": Uuid(),
}


def add_cohort_table(metadata: MetaData, *fields: CohortField) -> Table:
    """The ``cohorts`` table with the support provider and ``fields``, each as the event gives it."""
    kept = [Column(name, type_, nullable=False) for name, type_ in _TYPES.items() if name in fields]
    return Table(
        TABLE_NAME,
        metadata,
        Column("id", Uuid, primary_key=True),
        *kept,
        Column("support_provider_org_id", Uuid, nullable=False),
    )


@dataclass(frozen=True)
class Cohort:
    """A cohort as held; a field the service does not keep reads as None."""

    id: UUID
    support_provider_org_id: UUID
    training_provider_org_id: UUID | None = None
    track: str | None = None
    sector_code: str | None = None
    region: str | None = None


class CohortRepository:
    def __init__(self, connection: AsyncConnection, table: Table) -> None:
        self._connection, self._table = connection, table
        self._kept = [column.name for column in table.columns if column.name != "id"]

    async def note(self, event: enrolment.CohortCreated) -> None:
        """The cohort as the event describes it, in the fields this table keeps."""
        row = {"id": event.cohort_id} | {name: getattr(event, name) for name in self._kept}
        await upsert(self._connection, self._table, [row], keys=["id"], update=self._kept)

    async def get(self, cohort_id: UUID) -> Cohort | None:
        found = (await self._connection.execute(select(self._table).where(self._table.c.id == cohort_id))).first()
        return None if found is None else Cohort(**found._mapping)

    async def support_provider(self, cohort_id: UUID) -> UUID | None:
        found: UUID | None = await self._connection.scalar(
            select(self._table.c.support_provider_org_id).where(self._table.c.id == cohort_id)
        )
        return found

    async def providers(self, cohort_id: UUID) -> tuple[UUID, UUID] | None:
        """Who trains and who supports the cohort (a table that keeps the training provider)."""
        table = self._table
        query = select(table.c.training_provider_org_id, table.c.support_provider_org_id).where(table.c.id == cohort_id)
        found = (await self._connection.execute(query)).first()
        return None if found is None else (found.training_provider_org_id, found.support_provider_org_id)

    async def lock(self, cohort_id: UUID) -> None:
        """Holds the cohort's lock until commit on PostgreSQL (SQLite has one writer at a time anyway): what changes
        one cohort's derived rows serialises, the second transaction reading what the first committed.

        A transaction-scoped advisory lock, not the cohort's row: the row exists only once ``cohort.created`` is
        applied, which has no order with the other events that change the cohort (another key, another service),
        and locking a row that is not there locks nothing (support: a step-started and the cohort's sessions
        applied together each missed the other, and nobody was entitled to meals)."""
        if self._connection.dialect.name == "postgresql":
            await self._connection.execute(select(func.pg_advisory_xact_lock(_LOCK_CLASS, lock_key(cohort_id.bytes))))
