"""Authentication of every call and the role checks endpoints declare."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from starlette.datastructures import QueryParams
from starlette.types import Scope

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.api.problems import Problem
from hopekit.identity.principal import Principal
from hopekit.identity.tokens import InvalidToken, TokenVerifier

_CHALLENGE = 'Bearer realm="hope"'


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "unauthenticated",
        detail,
        headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'},
    )


class _BearerAuthentication(HTTPBearer):
    """The caller of an endpoint, as a dependency that is also the OpenAPI document's bearer scheme: FastAPI lists
    a ``SecurityBase`` dependency as the operation's security, so the scheme costs no dependency of its own to
    resolve on every request (HTTPBearer's reading of the header was one, done again by authenticated_scope)."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        # The token is read (the same way for FastAPI endpoints and plain ASGI routes) by authenticated_scope.
        return await authenticated_scope(request.scope)


# Named as HTTPBearer names itself, so that the document's scheme keeps its name.
authenticated = _BearerAuthentication(
    auto_error=False,
    scheme_name="HTTPBearer",
    description="Access token from the gateway's /oauth/token",
)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, read exactly as ``HTTPBearer`` reads it."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.partition(" ")
    credentials = credentials.strip()
    if not (scheme and credentials) or scheme.lower() != "bearer":
        return None
    return credentials


async def authenticated_scope(scope: Scope) -> Principal:
    """The caller of a request, from its ``Authorization: Bearer`` header only; 401 problems otherwise. Usable
    from a plain ASGI route, without building a request or resolving dependencies."""
    query = scope.get("query_string", b"")
    if query and "access_token" in QueryParams(query):
        # Query strings end up in logs and browser history.
        raise _unauthorized("Tokens are accepted only in the Authorization header.")
    authorization = next((value for name, value in scope["headers"] if name == b"authorization"), None)
    token = bearer_token(authorization.decode("latin-1") if authorization is not None else None)
    if token is None:
        raise Problem(401, "unauthenticated", "A bearer token is required.", headers={"WWW-Authenticate": _CHALLENGE})
    verifier: TokenVerifier = scope["app"].state.verifier
    try:
        principal = await verifier.verify(token)
    except InvalidToken as error:
        raise _unauthorized(error.reason) from error
    scope.setdefault("state", {})["principal"] = principal
    return principal


def requires(*roles: Role, org_kinds: tuple[OrgKind, ...] | None = None) -> Callable[..., Awaitable[Principal]]:
    """A dependency answering 403 unless the principal holds one of ``roles`` (and is of ``org_kinds``)."""

    async def check(principal: Principal = Depends(authenticated)) -> Principal:
        if roles and not principal.has_role(*roles):
            raise Problem(
                403,
                "forbidden-role",
                "Your roles do not allow this action.",
                required_roles=sorted(role.value for role in roles),
            )
        if org_kinds is not None and principal.org_kind not in org_kinds:
            raise Problem(
                403,
                "forbidden-organisation-kind",
                "Your organisation's kind may not use this action.",
                allowed_org_kinds=sorted(kind.value for kind in org_kinds),
            )
        return principal

    return check


READ_ROLES = (Role.ADMIN, Role.WRITER, Role.READER)
WRITE_ROLES = (Role.ADMIN, Role.WRITER)

# The authenticated caller, as an endpoint parameter: ``principal: Caller``.
Caller = Annotated[Principal, Depends(authenticated)]
