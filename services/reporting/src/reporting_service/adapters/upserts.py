"""The ways a fact is written, each the same on PostgreSQL and SQLite, safe to repeat and to apply in any order:
set if newer (a guard column), set once-only fields, keep the earliest, keep the latest, add a difference, insert
once. Each writes many rows with one ``INSERT ... ON CONFLICT`` statement: on PostgreSQL executed once, the rows
given as one array per column (the kit's ``hopekit.db.unnested``); on SQLite an executemany. The rows of one call
have distinct keys (``adapters.pending`` folds a batch's writes per key first: a statement may update a row only
once)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any, Literal

from sqlalchemy import Table, and_, case, func, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.unnested import arrays_of, insert_unnested

Rows = Sequence[Mapping[str, Any]]


def insert(connection: AsyncConnection, table: Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def keys(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


Rule = Literal["newer", "fields", "earliest", "latest", "add", "once"]


@cache
def _statement(
    dialect: str,
    table: Table,
    names: tuple[str, ...],
    rule: Rule,
    columns: tuple[str, ...] = (),
    guard: str | None = None,
    tie: str | None = None,
    returning: tuple[str, ...] = (),
) -> Any:
    """The ``INSERT ... ON CONFLICT`` of a rule for rows of these columns, built once per shape (building one
    cost more than sending it). On PostgreSQL the rows go as one array per column (parameters named as the
    columns), unnested: one execution and one set of parameters, where an executemany (asyncpg's pipelined
    prepared statement) has SQLAlchemy build, and PostgreSQL bind and run, the statement once per row; NUMERIC
    values go as text, cast back by the statement (asyncpg's binary encoding of a ``Decimal`` cost more than the
    rest of a row together: ``hopekit.db.unnested``). On SQLite, an executemany."""
    statement: Any = (
        insert_unnested(table, *_arrays_and_fixed(names)) if dialect == "postgresql" else sqlite.insert(table)
    )
    excluded, index = statement.excluded, keys(table)
    if rule == "newer":
        assert guard is not None
        stored, arriving = table.c[guard], excluded[guard]
        tied = true() if tie is None else table.c[tie] <= excluded[tie]
        condition = or_(stored.is_(None), stored < arriving, and_(stored == arriving, tied))
        statement = statement.on_conflict_do_update(
            index_elements=index, set_={name: excluded[name] for name in columns}, where=condition
        )
    elif rule == "fields" and columns:
        statement = statement.on_conflict_do_update(
            index_elements=index, set_={name: excluded[name] for name in columns}
        )
    elif rule in ("earliest", "latest"):
        (column,) = columns
        stored, arriving = table.c[column], excluded[column]
        better = arriving < stored if rule == "earliest" else arriving > stored
        statement = statement.on_conflict_do_update(
            index_elements=index, set_={column: case((or_(stored.is_(None), better), arriving), else_=stored)}
        )
    elif rule == "add":
        statement = statement.on_conflict_do_update(
            index_elements=index, set_={name: table.c[name] + excluded[name] for name in columns}
        )
    else:  # once, or fields with nothing to overwrite
        statement = statement.on_conflict_do_nothing(index_elements=index)
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


def _arrays_and_fixed(names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The columns sent as arrays, and those sent once: the ``version``, the same on every row of a call (one
    version's facts), not an array element per row to encode."""
    if "version" in names:
        return tuple(name for name in names if name != "version"), ("version",)
    return names, ()


def _parameters(rows: Rows, names: tuple[str, ...]) -> dict[str, Any]:
    """The statement's parameters on PostgreSQL: an array per column, the fixed ones once."""
    arrays, fixed = _arrays_and_fixed(names)
    parameters = arrays_of(rows, arrays)
    for name in fixed:
        values = set(map(itemgetter(name), rows))
        if len(values) != 1:
            raise ValueError(f"rows of one statement with {len(values)} values of {name}")
        (parameters[name],) = values
    return parameters


async def _send(connection: AsyncConnection, table: Table, rows: Rows, rule: Rule, **shape: Any) -> Any:
    """The rows (each with the same columns: ``adapters.pending`` groups them so) written by ``rule``."""
    dialect = connection.dialect.name
    names = tuple(rows[0])
    statement = _statement(dialect, table, names, rule, **shape)
    if dialect == "postgresql":
        return await connection.execute(statement, _parameters(rows, names))
    return await connection.execute(statement, list(rows))


async def set_if_newer(
    connection: AsyncConnection, table: Table, rows: Rows, values: Sequence[str], guard: str, tie: str | None = None
) -> None:
    """Insert each row, or overwrite ``values`` (``guard`` among them) when the stored ``guard`` is NULL or not
    after the new one; on an equal guard the event wins (a duplicate writes the same values again), or, with
    ``tie``, the one whose ``tie`` column is not older."""
    if rows:
        await _send(connection, table, rows, "newer", columns=tuple(values), guard=guard, tie=tie)


async def set_fields(connection: AsyncConnection, table: Table, rows: Rows, values: Sequence[str]) -> None:
    """Insert each row or overwrite ``values``: for fields only one event ever sets (the same values each time).
    Columns of the rows not in ``values`` are set on a new row only."""
    if rows:
        await _send(connection, table, rows, "fields", columns=tuple(values))


async def keep_extreme(connection: AsyncConnection, table: Table, rows: Rows, column: str, *, earliest: bool) -> None:
    """Keep the earliest (or latest) of the stored value and the row's."""
    if rows:
        await _send(connection, table, rows, "earliest" if earliest else "latest", columns=(column,))


async def add(connection: AsyncConnection, table: Table, rows: Rows, amounts: Sequence[str]) -> None:
    """Add ``amounts`` to each row's totals (a new row starts at these amounts, with the row's other values)."""
    if rows:
        await _send(connection, table, rows, "add", columns=tuple(amounts))


async def insert_once(connection: AsyncConnection, table: Table, rows: Rows) -> None:
    """Insert the rows whose key is not there."""
    if rows:
        await _send(connection, table, rows, "once")


async def insert_new_summed(
    connection: AsyncConnection, table: Table, rows: Rows, by: Sequence[str], summed: str
) -> list[tuple[Any, ...]]:
    """Insert the rows whose key is not there (the rows' keys distinct, each row with the same columns); the new
    ones' ``summed`` column added up per ``by`` columns (rows of ``*by, sum``). On PostgreSQL they are added up
    by the statement (the insert a CTE, its ``RETURNING`` grouped): a poll's thousands of new rows came back to
    be read one by one, a tenth of the ingest's time. (Multi-row VALUES pages, how an executemany gives rows
    back, took 150 to 220 us a row: a page of 1,000 rows and 9,000 parameters planned each time.)"""
    if not rows:
        return []
    returning = (*by, summed)
    if connection.dialect.name != "postgresql":
        totals: dict[tuple[Any, ...], Any] = {}
        for row in await _send(connection, table, rows, "once", returning=returning):
            totals[tuple(row[:-1])] = totals.get(tuple(row[:-1]), 0) + row[-1]
        return [(*key, amount) for key, amount in totals.items()]
    names = tuple(rows[0])
    query = _summed(table, names, tuple(by), summed)
    return [tuple(row) for row in await connection.execute(query, _parameters(rows, names))]


@cache
def _summed(table: Table, names: tuple[str, ...], by: tuple[str, ...], summed: str) -> Any:
    new = _statement("postgresql", table, names, "once", returning=(*by, summed)).cte("new")
    return select(*(new.c[name] for name in by), func.sum(new.c[summed])).group_by(*(new.c[name] for name in by))


async def insert_new(connection: AsyncConnection, table: Table, row: Mapping[str, Any]) -> bool:
    """Insert the row unless its key is there; True when it was new."""
    statement = insert(connection, table).values(dict(row)).on_conflict_do_nothing(index_elements=keys(table))
    return bool((await connection.execute(statement)).rowcount)
