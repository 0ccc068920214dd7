"""Domain errors. Each has a machine ``code``, a human ``detail`` and a ``category`` (``not_found``, ``forbidden``,
``conflict``, ``invalid``, ``unprocessable``) that the kit answers with its status; ``details()`` adds what a
partner needs to react. Nothing here repeats what the caller sent."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    category: ClassVar[str] = "conflict"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def details(self) -> dict[str, Any]:
        return {}
