"""Cursor pagination: ``{"items": [...], "next_cursor": ...}`` with an opaque cursor."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from pydantic import BaseModel

from hopekit.api.problems import Problem

T = TypeVar("T")

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


def after_id(cursor: str | None) -> UUID | None:
    """The id a keyset-paginated list resumes after; 400 for a cursor this API did not give out."""
    position = decode_cursor(cursor)
    if position is None:
        return None
    try:
        return UUID(position["after"])
    except (KeyError, ValueError, TypeError, AttributeError) as error:  # e.g. {"after": 1}
        raise Problem(400, "invalid-cursor", "The cursor is not one this API gave out.") from error


def next_cursor(found: Sequence[_Identified], limit: int) -> str | None:
    """Lists fetch ``limit + 1`` rows: the extra one only tells that another page exists."""
    return encode_cursor({"after": str(found[limit - 1].id)}) if len(found) > limit else None
