"""INSERTs handed to the database driver itself, where SQLAlchemy's own cost per statement is a request's.

SQLAlchemy runs a statement on asyncpg for about 90 µs of CPU on top of asyncpg's own 25 to 80 (an execution
context, its parameters and two greenlet hops): for the audit row of a read, a tenth of the request. Here
SQLAlchemy still compiles the statement (once per dialect and set of columns) and still converts each value
(the columns' own bind processing), and asyncpg runs the SQL as a prepared statement of its own cache.

Only on asyncpg and outside a transaction (a read's unit of work, ``AUTOCOMMIT``): SQLAlchemy's asyncpg adapter
opens a transaction lazily, at the first statement it runs, so a statement sent past it could land before that
BEGIN. Everywhere else the statement runs through SQLAlchemy as usual.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

_Plan = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]]


class DriverInsert:
    def __init__(self, table: Table) -> None:
        self._table = table
        self._plans: dict[tuple[str, tuple[str, ...]], _Plan] = {}

    async def execute(self, connection: AsyncConnection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Inserts ``rows`` (each with the same keys) in one statement (an executemany for several)."""
        if not rows:
            return
        if not _outside_transaction_on_asyncpg(connection):
            await connection.execute(insert(self._table), list(rows))
            return
        sql, parameters = self._plan(connection.dialect, tuple(rows[0]))
        values = [
            [row[name] if process is None else process(row[name]) for name, process in parameters] for row in rows
        ]
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        try:
            if len(values) == 1:
                await driver.execute(sql, *values[0])
            else:
                await driver.executemany(sql, values)
        except BaseException:
            # SQLAlchemy would have noticed the lost connection and kept it out of the pool; so does this.
            if driver.is_closed():
                await connection.invalidate()
            raise

    def _plan(self, dialect: Dialect, keys: tuple[str, ...]) -> _Plan:
        plan = self._plans.get((dialect.name, keys))
        if plan is None:
            compiled = insert(self._table).compile(dialect=dialect, column_keys=list(keys))
            assert compiled.positiontup is not None
            parameters = []
            for name in compiled.positiontup:
                # What SQLAlchemy applies to the value of this column (a type decorator's, the dialect's).
                process = compiled._bind_processors.get(name)
                assert process is None or callable(process), "a tuple of values in a column of an INSERT"
                parameters.append((name, process))
            plan = (compiled.string, tuple(parameters))
            self._plans[(dialect.name, keys)] = plan
        return plan


@functools.cache
def driver_insert(table: Table) -> DriverInsert:
    """The table's one ``DriverInsert`` (tables live as long as the process)."""
    return DriverInsert(table)


def _outside_transaction_on_asyncpg(connection: AsyncConnection) -> bool:
    if connection.dialect.driver != "asyncpg":
        return False
    options = connection.sync_connection.get_execution_options() if connection.sync_connection else {}
    return options.get("isolation_level") == "AUTOCOMMIT"
