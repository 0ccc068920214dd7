"""Many rows as one array parameter per column, for PostgreSQL's ``unnest``: ``INSERT INTO t (columns) SELECT ...
FROM unnest(:a, :b, ...)``, what the kit's ``upsert`` and ``insert_ignore``, the inbox, the order marks and
reporting's facts write with on PostgreSQL.

Rows sent as a multi-row ``VALUES`` (or keys as an ``IN`` list) make a statement of its own for every count of rows:
compiled by SQLAlchemy, prepared and planned by PostgreSQL anew each time (issue 17: the inbox look-up so took 38 ms
a poll of 500). An executemany (asyncpg's pipelined prepared statement) has SQLAlchemy process, and PostgreSQL bind
and run, the statement once per row. As arrays, the statement is the same whatever the count, prepared once per
connection, executed once; asyncpg encodes each array in C.

The arrays are typed by the columns, so SQLAlchemy processes their values as it would the columns' own
(``UTCDateTime``, UUIDs...), with two exceptions:

- a string column's array has no length: ``CAST(:x AS VARCHAR(16)[])`` would cut a longer value to 16 characters
  without a word, where the INSERT of the uncut value into the column refuses it;
- a NUMERIC column's values go as text (``str`` of each ``Decimal``) and the statement casts them back to the
  column's type: asyncpg's binary encoding of a ``Decimal`` takes its digits apart in Python, twice the time of the
  text (``numeric[]`` 796 us against ``text[]`` cast 391 us for 500 values, sent to the local PostgreSQL), more
  than the rest of a reporting fact's row together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Dialect, Numeric, String, Table, Text, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator, TypeEngine


class _DecimalText(TypeDecorator[Decimal]):
    """A NUMERIC column's value sent as its text (see the module's docstring)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)


def _element(column: Column[Any]) -> TypeEngine[Any]:
    """The type of the values of ``column``'s array."""
    kind = column.type
    if isinstance(kind, Numeric):
        return _DecimalText()
    if isinstance(kind, String) and kind.length is not None:
        unbounded = kind.copy()
        unbounded.length = None
        return unbounded
    return kind


def array_of(table: Table, column: str, name: str | None = None) -> Any:
    """The array parameter ``name`` (by default the column's name) of values of ``column``, to compare with
    (``= ANY``): typed as the column itself."""
    return bindparam(name or column, type_=postgresql.ARRAY(table.c[column].type))


@lru_cache(maxsize=512)
def insert_unnested(table: Table, arrays: tuple[str, ...], fixed: tuple[str, ...] = ()) -> Any:
    """PostgreSQL's ``INSERT INTO table`` of one row per element of the ``arrays`` columns' array parameters
    (named as the columns; ``arrays_of`` makes them), with the ``fixed`` columns' single parameters (named as
    those columns) on every row. Built once per shape: building one costs more than sending it. Another column's
    scalar default (``default=0``) is rendered into the SELECT, once for all rows."""
    columns = [table.c[name] for name in arrays]
    parameters = [bindparam(column.name, type_=postgresql.ARRAY(_element(column), dimensions=1)) for column in columns]
    new = func.unnest(*parameters).table_valued(*arrays).render_derived(name="new")
    unnested = [
        cast(new.c[column.name], column.type) if isinstance(column.type, Numeric) else new.c[column.name]
        for column in columns
    ]
    values = [*(bindparam(name, type_=table.c[name].type) for name in fixed), *unnested]
    return postgresql.insert(table).from_select([*fixed, *arrays], select(*values))


def arrays_of(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    """The rows' values as one list per column (each row has every one of ``names``)."""
    # Each row's values taken at once and turned into columns by zip (both in C), not a look-up per value.
    get = itemgetter(*names)
    columns = zip(*map(get, rows), strict=True) if len(names) > 1 else ([get(row) for row in rows],)
    return {name: list(values) for name, values in zip(names, columns, strict=True)}
