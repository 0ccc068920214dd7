"""A batch consumer's rows as one array parameter per column, for PostgreSQL's ``unnest``.

A poll's rows sent as a multi-row ``VALUES`` (or keys as an ``IN`` list) make a statement of its own for every
count of rows: compiled by SQLAlchemy, prepared and planned by PostgreSQL anew at each poll (issue 17: the inbox
look-up so took 38 ms a poll of 500). As arrays, the statement is the same whatever the count, prepared once per
connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.dialects import postgresql


def array_of(table: Table, column: str, name: str | None = None) -> Any:
    """The array parameter ``name`` (by default the column's name) of values of ``column``."""
    return bindparam(name or column, type_=postgresql.ARRAY(table.c[column].type))


def insert_unnested(table: Table, fixed: tuple[str, ...], arrays: tuple[str, ...]) -> Any:
    """``INSERT INTO table SELECT`` one row per element of the arrays (parameters named as the ``arrays``
    columns), with the ``fixed`` columns' single parameters (named as those columns) on every row."""
    new = func.unnest(*(array_of(table, name) for name in arrays)).table_valued(*arrays).render_derived(name="new")
    values = [*(bindparam(name, type_=table.c[name].type) for name in fixed), *(new.c[name] for name in arrays)]
    return postgresql.insert(table).from_select([*fixed, *arrays], select(*values))
