"""Row locks for read-then-write rules, on both databases.

PostgreSQL: `SELECT ... FOR UPDATE` holds the row until commit. SQLite has no row locks, and its Python driver
opens a transaction only at the first write, so reads before it see whatever is committed then: a no-op
UPDATE of the row makes the transaction a writer first (SQLite has one at a time; the others wait for the
busy timeout), so everything read after it is current until commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, Table, update
from sqlalchemy.ext.asyncio import AsyncConnection


async def locked(
    connection: AsyncConnection, query: Select[Any], table: Table, where: ColumnElement[bool]
) -> Select[Any]:
    """`query` made to hold the rows `where` selects until the transaction ends."""
    if connection.dialect.name == "postgresql":
        return query.with_for_update()
    key = next(iter(table.primary_key.columns))
    await connection.execute(update(table).where(where).values({key.name: key}))
    return query
