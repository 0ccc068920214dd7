"""INSERT ... ON CONFLICT on both PostgreSQL and SQLite: the kit's inbox and order marks, and every service's
projections (rows that events create or refresh, whatever order and however often they arrive).

On PostgreSQL the rows go as one array per column (``hopekit.db.unnested``): one execution whatever their count.
On SQLite, an executemany."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.unnested import arrays_of, insert_unnested

Rows = Sequence[Mapping[str, Any]]


def dialect_insert(connection: AsyncConnection, table: Table) -> Any:
    """The INSERT of the connection's dialect, which knows ON CONFLICT (both dialects have it; core's does not)."""
    return (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)


async def insert_ignore(connection: AsyncConnection, table: Table, rows: Rows) -> None:
    """The rows whose key is not there yet; those already there stay as they are. Every row names the same
    columns."""
    if rows:
        await _write(connection, table, rows, None, ())


async def upsert(
    connection: AsyncConnection, table: Table, rows: Rows, keys: Sequence[str], update: Sequence[str]
) -> None:
    """The rows inserted, or where ``keys`` are already there, their ``update`` columns replaced. Every row names the
    same columns; of rows with the same keys, the first is inserted and the last's ``update`` columns are kept, as
    if they were written one after the other."""
    if rows:
        await _write(connection, table, _one_per_key(rows, keys, update), tuple(keys), tuple(update))


async def _write(
    connection: AsyncConnection, table: Table, rows: Rows, keys: tuple[str, ...] | None, update: tuple[str, ...]
) -> None:
    dialect = connection.dialect.name
    columns = tuple(rows[0])
    statement = _statement(dialect, table, columns, keys, update)
    if dialect == "postgresql":
        await connection.execute(statement, arrays_of(rows, columns))
    else:
        await connection.execute(statement, list(rows))


@lru_cache(maxsize=512)
def _statement(
    dialect: str, table: Table, columns: tuple[str, ...], keys: tuple[str, ...] | None, update: tuple[str, ...]
) -> Any:
    """The statement for rows of these columns, ignoring those whose key is there (``keys`` None) or replacing their
    ``update`` columns: on PostgreSQL from one array per column, on SQLite for an executemany."""
    statement = insert_unnested(table, columns) if dialect == "postgresql" else sqlite.insert(table)
    if keys is None:
        return statement.on_conflict_do_nothing()
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in update}
    )


def _one_per_key(rows: Rows, keys: Sequence[str], update: Sequence[str]) -> Rows:
    """The rows with distinct keys: one statement may not update a row twice (PostgreSQL refuses it), where an
    executemany wrote rows of the same keys one after the other. Such rows are folded as that wrote them: the first
    row's values, the last one's ``update`` columns (on SQLite too: both give the same)."""
    key_of = itemgetter(*keys)
    if len({key_of(row) for row in rows}) == len(rows):
        return rows
    folded: dict[Any, Mapping[str, Any]] = {}
    for row in rows:
        key = key_of(row)
        first = folded.get(key)
        folded[key] = row if first is None else {**first, **{name: row[name] for name in update}}
    return list(folded.values())
