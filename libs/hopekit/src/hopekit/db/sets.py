"""A column among many values, as one statement whatever their count.

On PostgreSQL one array parameter (``column = ANY(:values)``): an IN list of a poll's hundreds of people, or of a
sheet's accounts, is one bound parameter per value that SQLAlchemy renders into the statement and processes one by
one, and a statement of its own for every count of values, prepared and planned anew by PostgreSQL (issue 17: the
inbox look-up so took 38 ms a poll of 500). An array is decoded by asyncpg in C and the statement text stays the
same. SQLite takes an IN list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.unnested import unbounded


def among(connection: AsyncConnection, column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """``column`` is one of ``values`` (an anonymous parameter: several in one statement keep apart). The array is
    typed as the column, a string's without its length: cast to ``VARCHAR(n)[]``, a longer value would be cut and
    find the row of its first n characters."""
    values = list(values)
    if connection.dialect.name != "postgresql":
        return column.in_(values)
    return column == any_(bindparam(None, values, type_=ARRAY(unbounded(column.type))))
