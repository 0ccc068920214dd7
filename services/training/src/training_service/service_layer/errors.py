"""Errors of the use cases (not domain rules): what is not found, and what the caller may not do."""

from typing import ClassVar


class ServiceError(Exception):
    code: ClassVar[str] = "service_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ServiceError):
    """Also answered for objects that exist but that the caller may not see: existence is not disclosed."""

    code = "not_found"


class Forbidden(ServiceError):
    code = "forbidden"
