"""The four ways a fact is written, each the same on PostgreSQL and SQLite and each safe to repeat and to apply in
any order: set if newer (a guard column), keep the earliest, keep the latest, add a difference."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, or_, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def insert(connection: AsyncConnection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _keys(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


async def set_if_newer(
    connection: AsyncConnection,
    table: Table,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    guard: str,
    tie: Callable[[Any], ColumnElement[bool]] | None = None,
) -> None:
    """Insert the row, or overwrite ``values`` (``guard`` among them) when the row's ``guard`` is NULL or not
    after the new one; ``tie(excluded)`` decides an equal guard (by default the event wins: a duplicate writes
    the same values again)."""
    statement = insert(connection, table).values({**key, **values})
    stored, new = table.c[guard], statement.excluded[guard]
    condition = or_(
        stored.is_(None), stored < new, and_(stored == new, true() if tie is None else tie(statement.excluded))
    )
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=_keys(table), set_={name: statement.excluded[name] for name in values}, where=condition
        )
    )


async def set_fields(
    connection: AsyncConnection,
    table: Table,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    on_creation: Mapping[str, Any] | None = None,
) -> None:
    """Insert the row or overwrite ``values``: for fields only one event ever sets (the same values each time).
    ``on_creation``: values a new row starts with, left alone on an existing one."""
    statement = insert(connection, table).values({**key, **(on_creation or {}), **values})
    if values:
        statement = statement.on_conflict_do_update(
            index_elements=_keys(table), set_={name: statement.excluded[name] for name in values}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=_keys(table))
    await connection.execute(statement)


async def keep_extreme(
    connection: AsyncConnection, table: Table, key: Mapping[str, Any], column: str, value: Any, *, earliest: bool
) -> None:
    """Keep the earliest (or latest) of the stored value and ``value``."""
    statement = insert(connection, table).values({**key, column: value})
    stored, new = table.c[column], statement.excluded[column]
    better = new < stored if earliest else new > stored
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=_keys(table), set_={column: case((or_(stored.is_(None), better), new), else_=stored)}
        )
    )


async def add(
    connection: AsyncConnection,
    table: Table,
    key: Mapping[str, Any],
    amounts: Mapping[str, Any],
    on_creation: Mapping[str, Any] | None = None,
) -> None:
    """Add ``amounts`` to the row's totals (a new row starts at these amounts, with ``on_creation``'s values)."""
    statement = insert(connection, table).values({**key, **(on_creation or {}), **amounts})
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=_keys(table), set_={name: table.c[name] + statement.excluded[name] for name in amounts}
        )
    )


async def add_many(
    connection: AsyncConnection, table: Table, rows: Sequence[Mapping[str, Any]], amounts: Sequence[str]
) -> None:
    """``add`` for many rows in one statement; their keys must differ (a statement updates a row once)."""
    if not rows:
        return
    statement = insert(connection, table).values([dict(row) for row in rows])
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=_keys(table), set_={name: table.c[name] + statement.excluded[name] for name in amounts}
        )
    )


async def insert_once(connection: AsyncConnection, table: Table, row: Mapping[str, Any]) -> bool:
    """Insert the row unless its key is there; True when it was new."""
    statement = insert(connection, table).values(dict(row)).on_conflict_do_nothing(index_elements=_keys(table))
    result = await connection.execute(statement)
    return bool(result.rowcount)
