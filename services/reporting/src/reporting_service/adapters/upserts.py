"""The ways a fact is written, each the same on PostgreSQL and SQLite, safe to repeat and to apply in any order:
set if newer (a guard column), set once-only fields, keep the earliest, keep the latest, add a difference, insert
once. Each writes many rows with one ``INSERT ... ON CONFLICT`` statement, compiled once and executed for all the
rows (SQLAlchemy's executemany: on PostgreSQL asyncpg's pipelined prepared statement, or pages of multi-row VALUES
when rows come back); the rows of one call have distinct keys (``adapters.pending`` folds a batch's writes per
key first: a statement may update a row only once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, and_, bindparam, case, func, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

Rows = Sequence[Mapping[str, Any]]


def insert(connection: AsyncConnection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def keys(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


async def set_if_newer(
    connection: AsyncConnection, table: Table, rows: Rows, values: Sequence[str], guard: str, tie: str | None = None
) -> None:
    """Insert each row, or overwrite ``values`` (``guard`` among them) when the stored ``guard`` is NULL or not
    after the new one; on an equal guard the event wins (a duplicate writes the same values again), or, with
    ``tie``, the one whose ``tie`` column is not older."""
    if not rows:
        return
    statement = insert(connection, table)
    stored, new = table.c[guard], statement.excluded[guard]
    tied = true() if tie is None else table.c[tie] <= statement.excluded[tie]
    condition = or_(stored.is_(None), stored < new, and_(stored == new, tied))
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=keys(table), set_={name: statement.excluded[name] for name in values}, where=condition
        ),
        list(rows),
    )


async def set_fields(connection: AsyncConnection, table: Table, rows: Rows, values: Sequence[str]) -> None:
    """Insert each row or overwrite ``values``: for fields only one event ever sets (the same values each time).
    Columns of the rows not in ``values`` are set on a new row only."""
    if not rows:
        return
    statement = insert(connection, table)
    if values:
        statement = statement.on_conflict_do_update(
            index_elements=keys(table), set_={name: statement.excluded[name] for name in values}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys(table))
    await connection.execute(statement, list(rows))


async def keep_extreme(connection: AsyncConnection, table: Table, rows: Rows, column: str, *, earliest: bool) -> None:
    """Keep the earliest (or latest) of the stored value and the row's."""
    if not rows:
        return
    statement = insert(connection, table)
    stored, new = table.c[column], statement.excluded[column]
    better = new < stored if earliest else new > stored
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=keys(table), set_={column: case((or_(stored.is_(None), better), new), else_=stored)}
        ),
        list(rows),
    )


async def add(connection: AsyncConnection, table: Table, rows: Rows, amounts: Sequence[str]) -> None:
    """Add ``amounts`` to each row's totals (a new row starts at these amounts, with the row's other values)."""
    if not rows:
        return
    statement = insert(connection, table)
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=keys(table), set_={name: table.c[name] + statement.excluded[name] for name in amounts}
        ),
        list(rows),
    )


async def insert_once(connection: AsyncConnection, table: Table, rows: Rows) -> None:
    """Insert the rows whose key is not there."""
    if rows:
        statement = insert(connection, table).on_conflict_do_nothing(index_elements=keys(table))
        await connection.execute(statement, list(rows))


async def insert_new_many(connection: AsyncConnection, table: Table, rows: Rows, returning: Sequence[str]) -> list[Any]:
    """Insert the rows whose key is not there (the rows' keys distinct, each row with the same columns); the new
    ones' ``returning`` columns. On PostgreSQL the rows go as one array per column, unnested in one statement:
    multi-row VALUES pages (how rows come back from an executemany) took 150 to 220 us a row, a page of 1,000 rows
    and 9,000 parameters planned each time."""
    if not rows:
        return []
    columns = [table.c[name] for name in returning]
    if connection.dialect.name != "postgresql":
        statement = insert(connection, table).on_conflict_do_nothing(index_elements=keys(table)).returning(*columns)
        return list(await connection.execute(statement, list(rows)))
    names = list(rows[0])
    arrays = [
        bindparam(f"new_{name}", [row[name] for row in rows], type_=postgresql.ARRAY(table.c[name].type))
        for name in names
    ]
    unnested = func.unnest(*arrays).table_valued(*names).render_derived(name="new")
    statement = (
        postgresql.insert(table)
        .from_select(names, select(*(unnested.c[name] for name in names)))
        .on_conflict_do_nothing(index_elements=keys(table))
        .returning(*columns)
    )
    return list(await connection.execute(statement))


async def insert_new(connection: AsyncConnection, table: Table, row: Mapping[str, Any]) -> bool:
    """Insert the row unless its key is there; True when it was new."""
    statement = insert(connection, table).values(dict(row)).on_conflict_do_nothing(index_elements=keys(table))
    return bool((await connection.execute(statement)).rowcount)
