"""RFC 9457 problem details for every error; never a stack trace, never a bare 500 for bad input."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hopekit.errors import ServiceError, category_of, details_of
from hopekit.logs import request_id_var

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:hope:problem:"
# Set by the gateway on each request it relays (``/api/enrolment``), so that a problem's ``instance`` is the path
# the caller used. The gateway drops any copy a caller sends; a direct caller can only rename its own problems.
FORWARDED_PREFIX = b"x-forwarded-prefix"
_PREFIX = re.compile(r"(?:/[A-Za-z0-9_-]{1,64}){1,4}")


def public_path(scope: Scope) -> str:
    """The request's path as its caller wrote it: the gateway's prefix, when there is one, and the path."""
    path: str = scope["path"]
    for name, value in scope.get("headers", ()):
        if name == FORWARDED_PREFIX:
            prefix = value.decode("latin-1")
            return prefix + path if _PREFIX.fullmatch(prefix) else path
    return path


class Problem(Exception):
    """Raise from an endpoint or dependency to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str | None = None,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or slug)
        self.status = status
        self.slug = slug
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_PREFIX + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    body.update(extensions or {})
    return JSONResponse(body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_MEDIA_TYPE)


def categorised_problem(error: Exception) -> Problem | None:
    """The problem for an error that names its category (see :mod:`hopekit.errors`); None for any other."""
    category = category_of(error)
    if category is None:
        return None
    return Problem(
        category.status,
        str(getattr(error, "code", "domain-rule")).replace("_", "-"),
        getattr(error, "detail", None) or str(error),
        title=getattr(error, "title", None) or category.title,
        **details_of(error),
    )


def answer_problem(problem: Problem, instance: str) -> JSONResponse:
    return problem_response(
        problem.status,
        problem.slug,
        problem.title,
        problem.detail,
        instance=instance,
        headers=problem.headers,
        extensions=problem.extensions,
    )


def answer_unexpected(scope: Scope) -> JSONResponse:
    log.exception("unhandled error on %s %s", scope["method"], scope["path"])
    return problem_response(
        500,
        "internal",
        "Internal Server Error",
        "The error was logged; quote the request id.",
        instance=public_path(scope),
    )


class ProblemBoundary:
    """For a plain ASGI app reached without the framework's exception handlers: what it raises is answered as
    those handlers would (a Problem as its document, anything else as a logged 500), unless the answer has
    already begun, when the error goes on up to the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started:
                raise
            if isinstance(error, Problem):
                answer = answer_problem(error, public_path(scope))
            else:
                answer = answer_unexpected(scope)
            await answer(scope, receive, send)


def validation_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Field paths and messages only: the offending input is never echoed back (it may be personal data)."""
    cleaned = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        where = location[0] if location else "body"
        path = location[1:] if where in {"body", "query", "path", "header", "cookie"} else location
        cleaned.append(
            {
                "location": where,
                "field": ".".join(path),
                "pointer": "/" + "/".join(path),
                "type": str(error.get("type", "invalid")),
                "message": str(error.get("msg", "invalid value")),
            }
        )
    return cleaned


def install_problem_handlers(app: FastAPI, error_types: Sequence[type[Exception]] = ()) -> None:
    """Problem documents for everything. Errors that name their category (:mod:`hopekit.errors`) are answered by
    it: the kit's own ``ServiceError`` and, for routes outside the request transaction (which converts them
    itself), the ``error_types`` a service lists (its error base classes)."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return answer_problem(exc, public_path(request.scope))

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc.errors())
        if any(error["type"] == "json_invalid" for error in errors):
            return problem_response(
                400,
                "malformed-json",
                "Malformed JSON",
                "The request body is not valid JSON.",
                instance=public_path(request.scope),
            )
        return problem_response(
            422,
            "validation",
            "Invalid request",
            f"{len(errors)} field(s) failed validation.",
            instance=public_path(request.scope),
            extensions={"errors": errors},
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        phrase = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
        slug = phrase.lower().replace(" ", "-").replace("'", "")
        return problem_response(
            exc.status_code, slug, phrase, detail, instance=public_path(request.scope), headers=exc.headers
        )

    async def on_categorised(request: Request, exc: Exception) -> JSONResponse:
        problem = categorised_problem(exc)
        if problem is None:
            return answer_unexpected(request.scope)
        return answer_problem(problem, public_path(request.scope))

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        return answer_unexpected(request.scope)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    categorised: list[type[Exception]] = [ServiceError, *error_types]
    for kind in categorised:
        app.add_exception_handler(kind, on_categorised)
    app.add_exception_handler(Exception, on_unexpected)
