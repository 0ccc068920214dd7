"""Error categories: how a refusal is answered over HTTP, named without HTTP.

A service's domain errors say which category they are in with a class attribute (``category = "conflict"``),
so the domain imports nothing from the kit; the kit turns any error with a known category into a problem
document. An error gives the problem its ``type`` (``code``), its ``detail``, and extra members from
``details()``. None of them may repeat what the caller sent: the input may hold personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar, Protocol, cast, runtime_checkable


@dataclass(frozen=True)
class Category:
    status: int

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase


CATEGORIES: dict[str, Category] = {
    "not_found": Category(404),
    "forbidden": Category(403),
    "conflict": Category(409),
    "invalid": Category(400),
    "unprocessable": Category(422),
    # A dependency the change needs is down: nothing was changed, retrying later may work.
    "unavailable": Category(503),
}


@runtime_checkable
class CategorisedError(Protocol):
    """What the kit reads from an error to answer it; ``details`` is optional."""

    category: ClassVar[str]
    code: ClassVar[str]


def category_of(error: BaseException) -> Category | None:
    name = getattr(error, "category", None)
    return CATEGORIES.get(name) if isinstance(name, str) else None


def details_of(error: BaseException) -> dict[str, Any]:
    details = getattr(error, "details", None)
    return dict(details()) if callable(details) else {}


class ServiceError(Exception):
    """Errors of the use cases rather than of the domain's rules; every service layer raises these."""

    category: ClassVar[str] = "unprocessable"
    code: ClassVar[str] = "service_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ServiceError):
    """Also raised for objects that exist but that the caller may not see: existence is not disclosed."""

    category = "not_found"
    code = "not_found"

    @classmethod
    def of(cls, thing: str) -> NotFound:
        """``NotFound.of("session")``: the problem type names what is missing (``session-not-found``), so that a
        missing session is not reported as a missing course. The code is a class's, as every error's is: one
        subclass per kind of thing, made once."""
        return _not_found_of(cls, thing.lower().replace(" ", "_").replace("-", "_"))(f"no such {thing}")


class Forbidden(ServiceError):
    category = "forbidden"
    code = "forbidden"


class Conflict(ServiceError):
    category = "conflict"
    code = "conflict"


_NOT_FOUND_KINDS: dict[tuple[type[NotFound], str], type[NotFound]] = {}


def _not_found_of(base: type[NotFound], thing: str) -> type[NotFound]:
    kind = _NOT_FOUND_KINDS.get((base, thing))
    if kind is None:
        kind = cast(type[NotFound], type(f"{base.__name__}[{thing}]", (base,), {"code": f"{thing}_not_found"}))
        _NOT_FOUND_KINDS[(base, thing)] = kind
    return kind
