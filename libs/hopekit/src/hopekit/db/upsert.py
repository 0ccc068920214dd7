"""INSERT ... ON CONFLICT on both PostgreSQL and SQLite: the kit's inbox and order marks, and every service's
projections (rows that events create or refresh, whatever order and however often they arrive)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def dialect_insert(connection: AsyncConnection, table: Table) -> Any:
    """The INSERT of the connection's dialect, which knows ON CONFLICT (both dialects have it; core's does not)."""
    return (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)


async def insert_ignore(connection: AsyncConnection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """The rows whose key is not there yet; those already there stay as they are."""
    if rows:
        await connection.execute(dialect_insert(connection, table).on_conflict_do_nothing(), list(rows))


async def upsert(
    connection: AsyncConnection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """The rows inserted, or where ``keys`` are already there, their ``update`` columns replaced."""
    if not rows:
        return
    statement = dialect_insert(connection, table)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in update}
    )
    await connection.execute(statement, list(rows))
