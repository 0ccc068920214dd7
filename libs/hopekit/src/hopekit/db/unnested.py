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

- a string column's array (and parameter) has no length: ``CAST(:x AS VARCHAR(16)[])`` would cut a longer value
  to 16 characters without a word, where the INSERT of the uncut value into the column refuses it (and an inbox's
  event id of more than 64 characters would be taken for another one that starts alike);
- a NUMERIC column's values go as text (``str`` of each ``Decimal``) and the statement casts them back to the
  column's type. asyncpg's binary encoding of a ``Decimal`` (``pgproto/codecs/numeric.pyx``) takes each value apart
  with ``Decimal.as_tuple()`` and computes PostgreSQL's base-10000 digits from its digits as Python objects; its text
  encoding is one ``str``. 500 values to the local PostgreSQL: ``numeric[]`` 0.8 ms, ``text[]`` cast 0.4 ms; in
  reporting's ingest, more than the rest of a fact's row together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Dialect, Numeric, String, Table, Text, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator, TypeEngine


class _DecimalsAsText(TypeDecorator[list[Any]]):
    """A NUMERIC column's values sent as their text (see the module's docstring), in one list comprehension: a
    ``TEXT`` array's item processor would be a call or two per value, and a reporting fact has seven amounts."""

    impl = postgresql.ARRAY(Text(), dimensions=1)
    cache_ok = True

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> list[str | None] | None:
        return None if value is None else [None if amount is None else str(amount) for amount in value]


def unbounded(kind: TypeEngine[Any]) -> TypeEngine[Any]:
    """``kind``, but a string type without its length (the cast of a parameter to it cuts no value)."""
    if isinstance(kind, String) and kind.length is not None:
        unbounded = kind.copy()
        unbounded.length = None
        return unbounded
    return kind


def _array(column: Column[Any]) -> TypeEngine[Any]:
    """The type of ``column``'s array in an INSERT."""
    if isinstance(column.type, Numeric):
        return _DecimalsAsText()
    return postgresql.ARRAY(unbounded(column.type), dimensions=1)


def array_of(table: Table, column: str, name: str | None = None) -> Any:
    """The array parameter ``name`` (by default the column's name) of values of ``column``, to compare with
    (``= ANY``): typed as the column (a string's without its length: cut, a longer value would find a row)."""
    return bindparam(name or column, type_=postgresql.ARRAY(unbounded(table.c[column].type)))


@lru_cache(maxsize=512)
def insert_unnested(table: Table, arrays: tuple[str, ...], fixed: tuple[str, ...] = ()) -> Any:
    """PostgreSQL's ``INSERT INTO table`` of one row per element of the ``arrays`` columns' array parameters
    (named as the columns; ``arrays_of`` makes them), with the ``fixed`` columns' single parameters (named as
    those columns) on every row. Built once per shape: building one costs more than sending it. Another column's
    scalar default (``default=0``) is rendered into the SELECT; a Python function's would be called once for all
    the rows (SQLAlchemy's ``from_select``), so such a column must be given."""
    given = {*fixed, *arrays}
    called = [c.name for c in table.c if c.name not in given and c.default is not None and c.default.is_callable]
    if called:
        raise ValueError(f"{table.name}: give {called}, their default would be one value for all the rows")
    columns = [table.c[name] for name in arrays]
    parameters = [bindparam(column.name, type_=_array(column)) for column in columns]
    new = func.unnest(*parameters).table_valued(*arrays).render_derived(name="new")
    unnested = [
        cast(new.c[column.name], column.type) if isinstance(column.type, Numeric) else new.c[column.name]
        for column in columns
    ]
    values = [*(bindparam(name, type_=unbounded(table.c[name].type)) for name in fixed), *unnested]
    return postgresql.insert(table).from_select([*fixed, *arrays], select(*values))


def arrays_of(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, list[Any]]:
    """The rows' values as one list per column (each row has every one of ``names``)."""
    # Each row's values taken at once and turned into columns by zip (both in C), not a look-up per value.
    get = itemgetter(*names)
    columns = zip(*map(get, rows), strict=True) if len(names) > 1 else ([get(row) for row in rows],)
    return {name: list(values) for name, values in zip(names, columns, strict=True)}
