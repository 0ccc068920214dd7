"""An OpenAPI document that tells the truth about errors.

FastAPI documents one error answer, a 422 ``{detail: [...]}`` in ``application/json``, which no service of the
platform ever sends: every error is an RFC 9457 problem document in ``application/problem+json`` (see
``problems.py``), and the statuses a route can answer follow from what it declares. This module rewrites a
service's generated document once, so that a generated client and a contract tester see the answers that come:

- 401 and 403 on authenticated operations (the bearer scheme is declared by ``security.authenticated``);
- 404 on operations that name a resource by path or in a ``..._id`` filter, and on authenticated writes (a body
  may name a missing one);
- 409 on authenticated writes (illegal transitions, duplicates, an Idempotency-Key in use);
- 400 (malformed body, a cursor or Idempotency-Key this API did not give out), 413 and 422 where they apply;
- 500 everywhere: an unexpected error is still a problem document, with the request id to quote.

Answers a route declares itself (``responses=`` on its decorator) are kept; only their content is filled in.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

from hopekit.api.pagination import CURSOR_PATTERN
from hopekit.api.problems import PROBLEM_MEDIA_TYPE, TYPE_PREFIX

PROBLEM = "Problem"
FIELD_ERROR = "ProblemFieldError"
_REF = "#/components/schemas/"
_WRITES = frozenset({"post", "put", "patch", "delete"})
_METHODS = frozenset({"get", "head", "options", "trace"}) | _WRITES
# FastAPI's own validation answer, which the kit's handlers replace.
_FASTAPI_SCHEMAS = ("HTTPValidationError", "ValidationError")

FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": FIELD_ERROR,
    "type": "object",
    "description": "One refused field (or line). The offending value is never echoed back.",
    "properties": {
        "location": {"type": "string", "description": "Where the field is: body, query, path, header or cookie."},
        "field": {"type": "string", "description": "The field's dotted path, e.g. attestation.test."},
        "pointer": {"type": "string", "description": "The field as a JSON pointer, e.g. /attestation/test."},
        "type": {"type": "string", "description": "The kind of failure, as a code."},
        "message": {"type": "string", "description": "What is wrong, for a person."},
    },
    "additionalProperties": True,
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": PROBLEM,
    "type": "object",
    "description": "An RFC 9457 problem document. Members beyond these are extensions that give the machine-"
    "readable facts of a refusal (e.g. allowed_actions, known_sectors, the report of a refused import).",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {
            "type": "string",
            "description": "What went wrong, as a URN to branch on.",
            "examples": [TYPE_PREFIX + "validation"],
        },
        "title": {"type": "string", "description": "A short summary of the problem type."},
        "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status."},
        "detail": {"type": "string", "description": "What went wrong with this request, for a person."},
        "instance": {"type": "string", "description": "The path the caller used."},
        "request_id": {"type": "string", "description": "Quote it when asking about this answer."},
        "errors": {
            "type": "array",
            "items": {"$ref": _REF + FIELD_ERROR},
            "description": "With 400 and 422: every refused field or line, reported together.",
        },
    },
    "additionalProperties": True,
}

_DESCRIPTIONS: dict[int, str] = {
    400: "Malformed request: a body that is not valid JSON, or a cursor or key this API did not give out.",
    401: "No bearer token, or one that is expired, forged or revoked.",
    403: "The caller's roles, organisation kind or token scopes do not allow this.",
    404: "No such resource, or none the caller may see (existence is not disclosed).",
    409: "Refused by the resource's current state: an illegal transition, a duplicate, or a request with the "
    "same Idempotency-Key still in progress.",
    413: "The request body is larger than the service accepts.",
    422: "Invalid request: every refused field is listed in errors, a business rule refused it, or an Idempotency-Key "
    "was reused for another request or under other rights.",
    429: "Too many requests for this client; retry after the number of seconds in Retry-After.",
    500: "Unexpected error; the answer carries the request id to quote.",
    502: "The service behind the gateway gave an invalid answer.",
    503: "The service is unavailable for the moment; retry later.",
    504: "The service behind the gateway did not answer in time.",
}

_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The authentication scheme, and why the token was refused.",
            "schema": {"type": "string"},
        }
    },
    429: {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "string"}}},
}


def problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    """The OpenAPI response object of a problem answer with ``status``."""
    response: dict[str, Any] = {
        "description": description or _DESCRIPTIONS.get(status) or HTTPStatus(status).phrase,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _REF + PROBLEM}}},
    }
    if status in _HEADERS:
        response["headers"] = copy.deepcopy(_HEADERS[status])
    return response


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses a kit-built operation can answer, from what it declares."""
    parameters = [p for p in operation.get("parameters", []) if isinstance(p, dict)]
    names = {(p.get("in"), str(p.get("name", "")).lower()) for p in parameters}
    has_body = "requestBody" in operation
    authenticated = bool(operation.get("security"))
    write = method in _WRITES
    statuses = {500}
    if authenticated:
        statuses |= {401, 403}
    names_resource = any(where == "path" or (where == "query" and name.endswith("_id")) for where, name in names)
    if names_resource or (authenticated and write):
        statuses.add(404)
    if authenticated and write:
        statuses.add(409)
    if has_body:
        statuses |= {400, 413, 422}
    if parameters:
        statuses.add(422)
    if ("query", "cursor") in names:
        statuses.add(400)
    if ("header", "idempotency-key") in names:
        # Malformed (400), in progress (409), reused for another request or under other rights (422).
        statuses |= {400, 409, 422}
    return statuses


def _is_problem(status: str) -> bool:
    return status.isdigit() and int(status) >= 400


def document_answers(operation: dict[str, Any], statuses: Iterable[int]) -> None:
    """Adds problem answers for ``statuses`` to ``operation``; every error answer it has becomes problem+json."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for wanted in statuses:
        responses.setdefault(str(wanted), problem_response(wanted))
    for status, response in list(responses.items()):
        if not _is_problem(status) or not isinstance(response, dict):
            continue
        content: dict[str, Any] = response.get("content") or {}
        media: dict[str, Any] = next(iter(content.values()), {})
        schema = media.get("schema")
        ref = schema.get("$ref", "") if isinstance(schema, dict) else ""
        # FastAPI's own 422, or an answer declared with a description only: the problem document it really is.
        if not content or ref.endswith(tuple("/" + name for name in _FASTAPI_SCHEMAS)):
            described = response.get("description")
            if described == "Validation Error":  # FastAPI's, which says nothing more than the status
                described = None
            responses[status] = {**problem_response(int(status), described), **_extra(response)}
    operation["responses"] = dict(sorted(responses.items()))


def _extra(response: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key not in {"description", "content"}}


def _operations(document: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method in _METHODS and isinstance(operation, dict):
                yield method, operation


def add_problem_schemas(document: dict[str, Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[PROBLEM] = copy.deepcopy(PROBLEM_SCHEMA)
    schemas[FIELD_ERROR] = copy.deepcopy(FIELD_ERROR_SCHEMA)


def _drop_unused_fastapi_schemas(document: dict[str, Any]) -> None:
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    if _REF + "HTTPValidationError'" not in repr(document.get("paths", {})):
        # ValidationError is referenced only by HTTPValidationError.
        for name in _FASTAPI_SCHEMAS:
            schemas.pop(name, None)


def _parameters(operation: dict[str, Any], where: str, name: str) -> Iterable[dict[str, Any]]:
    """The operation's parameters in ``where`` named ``name`` (case-insensitively, as headers are)."""
    for parameter in operation.get("parameters", []):
        if not isinstance(parameter, dict):
            continue
        if parameter.get("in") == where and str(parameter.get("name", "")).lower() == name:
            yield parameter


def describe_cursor(operation: dict[str, Any]) -> None:
    """A ``cursor`` is one the API gave out, never empty (an empty one is refused): the document says so."""
    for parameter in _parameters(operation, "query", "cursor"):
        # Not nullable either: a query parameter is absent or a string.
        parameter["schema"] = {"type": "string", "minLength": 1, "pattern": CURSOR_PATTERN, "title": "Cursor"}
        parameter.setdefault("description", "The next_cursor of the previous page, as given; absent at first.")


# What hopekit.api.idempotency accepts: 1 to 160 visible ASCII characters.
IDEMPOTENCY_KEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[\x21-\x7e]{1,160}$",
    "title": "Idempotency-Key",
}


def describe_idempotency_key(operation: dict[str, Any]) -> None:
    for parameter in _parameters(operation, "header", "idempotency-key"):
        parameter["schema"] = dict(IDEMPOTENCY_KEY_SCHEMA)


def truthful(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (a kit-built service's), with the error answers its operations really give."""
    add_problem_schemas(document)
    for method, operation in _operations(document):
        describe_cursor(operation)
        describe_idempotency_key(operation)
        document_answers(operation, error_statuses(method, operation))
    _drop_unused_fastapi_schemas(document)
    return document


GATEWAY_STATUSES = frozenset({401, 403, 429, 502, 503, 504})


def behind_gateway(operation: dict[str, Any]) -> None:
    """A service's operation as the gateway serves it: the gateway's own answers come on top of the service's
    (its token and scope checks, its rate limit, a service that is down, slow or answers garbage)."""
    document_answers(operation, GATEWAY_STATUSES)


def install_truthful_openapi(app: FastAPI) -> None:
    """Makes ``app.openapi()`` (and so ``/openapi.json`` and ``/docs``) the truthful document, built once."""
    generate: Callable[[], dict[str, Any]] = app.openapi
    built: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        if not built:
            built.append(truthful(generate()))
        return built[0]

    app.openapi = openapi  # type: ignore[method-assign]
