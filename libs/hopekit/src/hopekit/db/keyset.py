"""One page of a list in key order (keyset pagination), the database half of ``hopekit.api.pagination``: the
rows after the key the caller's cursor holds, never an offset (a row added or removed meanwhile neither repeats
nor skips another)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select

T = TypeVar("T", bound=tuple[Any, ...])


def after_key(query: Select[T], key: ColumnElement[Any], after: object | None, limit: int) -> Select[T]:
    """``query``'s rows in ``key`` order from just after ``after`` (from the first without it), ``limit`` of
    them (the lists ask one more than they show: it tells whether another page exists)."""
    if after is not None:
        query = query.where(key > after)
    return query.order_by(key).limit(limit)
