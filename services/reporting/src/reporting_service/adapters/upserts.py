"""The ways a fact is written, each the same on PostgreSQL and SQLite, safe to repeat and to apply in any order:
set if newer (a guard column), set once-only fields, keep the earliest, keep the latest, add a difference, insert
once. Each writes many rows in one multi-row ``INSERT ... ON CONFLICT`` (chunked under the drivers' parameter
limits); the rows of one call have distinct keys (``adapters.pending`` folds a batch's writes per key first: one
statement may update a row only once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, and_, case, or_, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

# asyncpg and SQLite (3.32+) both take up to 32,767 parameters in one statement.
PARAMETERS = 32_000

Rows = Sequence[Mapping[str, Any]]


def insert(connection: AsyncConnection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def keys(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


def chunks(rows: Rows) -> list[list[dict[str, Any]]]:
    if not rows:
        return []
    size = max(1, PARAMETERS // max(len(row) for row in rows))
    return [[dict(row) for row in rows[start : start + size]] for start in range(0, len(rows), size)]


async def set_if_newer(
    connection: AsyncConnection, table: Table, rows: Rows, values: Sequence[str], guard: str, tie: str | None = None
) -> None:
    """Insert each row, or overwrite ``values`` (``guard`` among them) when the stored ``guard`` is NULL or not
    after the new one; on an equal guard the event wins (a duplicate writes the same values again), or, with
    ``tie``, the one whose ``tie`` column is not older."""
    for chunk in chunks(rows):
        statement = insert(connection, table).values(chunk)
        stored, new = table.c[guard], statement.excluded[guard]
        tied = true() if tie is None else table.c[tie] <= statement.excluded[tie]
        condition = or_(stored.is_(None), stored < new, and_(stored == new, tied))
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=keys(table), set_={name: statement.excluded[name] for name in values}, where=condition
            )
        )


async def set_fields(connection: AsyncConnection, table: Table, rows: Rows, values: Sequence[str]) -> None:
    """Insert each row or overwrite ``values``: for fields only one event ever sets (the same values each time).
    Columns of the rows not in ``values`` are set on a new row only."""
    for chunk in chunks(rows):
        statement = insert(connection, table).values(chunk)
        if values:
            statement = statement.on_conflict_do_update(
                index_elements=keys(table), set_={name: statement.excluded[name] for name in values}
            )
        else:
            statement = statement.on_conflict_do_nothing(index_elements=keys(table))
        await connection.execute(statement)


async def keep_extreme(connection: AsyncConnection, table: Table, rows: Rows, column: str, *, earliest: bool) -> None:
    """Keep the earliest (or latest) of the stored value and the row's."""
    for chunk in chunks(rows):
        statement = insert(connection, table).values(chunk)
        stored, new = table.c[column], statement.excluded[column]
        better = new < stored if earliest else new > stored
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=keys(table), set_={column: case((or_(stored.is_(None), better), new), else_=stored)}
            )
        )


async def add(connection: AsyncConnection, table: Table, rows: Rows, amounts: Sequence[str]) -> None:
    """Add ``amounts`` to each row's totals (a new row starts at these amounts, with the row's other values)."""
    for chunk in chunks(rows):
        statement = insert(connection, table).values(chunk)
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=keys(table), set_={name: table.c[name] + statement.excluded[name] for name in amounts}
            )
        )


async def insert_once(connection: AsyncConnection, table: Table, rows: Rows) -> int:
    """Insert the rows whose key is not there; how many were new."""
    inserted = 0
    for chunk in chunks(rows):
        statement = insert(connection, table).values(chunk).on_conflict_do_nothing(index_elements=keys(table))
        inserted += int((await connection.execute(statement)).rowcount or 0)
    return inserted
