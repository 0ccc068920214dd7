"""Many rows or values in one parameter each on PostgreSQL: a column among many values (``= ANY(:values)``, the
kit's ``hopekit.db.sets.among``, named here for the adapters) and rows inserted or updated from arrays
(``unnest``); SQLite takes IN lists and one parameter set per row.

An IN list of a sheet's 100 people or 200 accounts is 100 or 200 bound parameters that SQLAlchemy renders into the
statement and processes one by one on every execution, and an executemany of 100 rows is 100 parameter sets
processed in Python then sent to the server. An array is one parameter, decoded by asyncpg in C, and the
statement is the same text whatever the number of values (PostgreSQL's prepared statement is reused too)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.sets import among
from hopekit.db.upsert import upsert

__all__ = ["among", "upsert_rows"]


@lru_cache(maxsize=32)
def _unnest_upsert(
    table: Table, columns: tuple[str, ...], keys: tuple[str, ...], update: tuple[str, ...]
) -> TextClause:
    unknown = {*columns, *keys, *update} - set(table.c.keys())
    if unknown:
        raise ValueError(f"not columns of {table.name}: {sorted(unknown)}")
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    arrays = ", ".join(f"CAST(:{name} AS {table.c[name].type.compile(dialect=dialect)}[])" for name in columns)
    assignments = ", ".join(f"{name} = excluded.{name}" for name in update)
    # Only the table's own name and columns (checked above) are written into the text; the values are bound.
    statement = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {assignments}"
    )
    return text(statement)


async def upsert_rows(
    connection: AsyncConnection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """``hopekit.db.upsert``'s rows inserted or, where ``keys`` are there, their ``update`` columns replaced: on
    PostgreSQL in one statement of one array per column (every row names the same columns)."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        await upsert(connection, table, list(rows), keys, update)
        return
    columns = tuple(rows[0])
    statement = _unnest_upsert(table, columns, tuple(keys), tuple(update))
    await connection.execute(statement, {name: [row[name] for row in rows] for name in columns})
