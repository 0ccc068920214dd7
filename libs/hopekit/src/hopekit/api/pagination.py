"""Cursor pagination: ``{"items": [...], "next_cursor": ...}`` with an opaque cursor."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from pydantic import BaseModel

from hopekit.api.problems import Problem

T = TypeVar("T")
V = TypeVar("V")
R = TypeVar("R")
P = TypeVar("P")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# What encode_cursor gives out (unpadded URL-safe base64); the OpenAPI document says so for every ``cursor``.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(position: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise Problem(400, "invalid-cursor", "The cursor is not one this API gave out.") from error
    if not isinstance(position, dict):
        raise Problem(400, "invalid-cursor", "The cursor is not one this API gave out.")
    return position


class _Identified(Protocol):
    @property
    def id(self) -> UUID: ...


Row = TypeVar("Row", bound=_Identified)


def read_cursor(cursor: str | None, parse: Callable[[dict[str, Any]], P]) -> P | None:
    """Where a keyset-paginated list resumes, read from the cursor by ``parse``; 400 for a cursor this API did not
    give out (``parse`` failing on it included)."""
    position = decode_cursor(cursor)
    if position is None:
        return None
    try:
        return parse(position)
    except (KeyError, ValueError, TypeError, AttributeError) as error:  # e.g. {"after": 1}
        raise Problem(400, "invalid-cursor", "The cursor is not one this API gave out.") from error


def after_id(cursor: str | None) -> UUID | None:
    """The id a list ordered by id resumes after."""
    return read_cursor(cursor, lambda position: UUID(position["after"]))


def _by_id(row: _Identified) -> dict[str, Any]:
    return {"after": str(row.id)}


def next_cursor(found: Sequence[_Identified], limit: int) -> str | None:
    """Lists fetch ``limit + 1`` rows: the extra one only tells that another page exists."""
    return _following(found, limit, _by_id)


def _following(found: Sequence[R], limit: int, position: Callable[[R], dict[str, Any]]) -> str | None:
    return encode_cursor(position(found[limit - 1])) if len(found) > limit else None


def page_by(found: Sequence[R], limit: int, view: Callable[[R], V], position: Callable[[R], dict[str, Any]]) -> Page[V]:
    """The page a list answers from the ``limit + 1`` rows it fetched: the first ``limit``, each as ``view``
    makes it, and when there are more a cursor keeping ``position`` of the last of them."""
    return Page[V](items=[view(row) for row in found[:limit]], next_cursor=_following(found, limit, position))


def page_of(found: Sequence[Row], limit: int, view: Callable[[Row], V]) -> Page[V]:
    """``page_by`` for a list ordered by id (``after_id`` reads its cursor)."""
    return page_by(found, limit, view, _by_id)
