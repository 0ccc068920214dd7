"""How the proxy learns that a call comes from a signed-in person rather than a client: the session cookie is
resolved (by the API layer, which knows sessions) into the person's principal and the token that carries it to
the services."""

from __future__ import annotations

from typing import Protocol

from starlette.types import Scope

from hopekit.identity.principal import Principal


class PersonCalls(Protocol):
    async def caller(self, scope: Scope) -> tuple[Principal, str] | None:
        """None when the request has no session cookie (a client's call: the bearer token decides); the person
        and a token for them otherwise; a 401 or 403 problem when the session is over or the CSRF token wrong."""
        ...


def with_bearer(headers: list[tuple[bytes, bytes]], token: str) -> list[tuple[bytes, bytes]]:
    """The upstream's headers with the person's token as the Authorization a client would have sent."""
    return [*headers, (b"authorization", b"Bearer " + token.encode())]


# Where a person's token is kept in the request's scope for the composed reads, which call the services with it.
PERSON_TOKEN = "hope.person_token"  # noqa: S105 - a key of the request scope, not a secret


def upstream_authorization(scope: Scope) -> bytes:
    """The Authorization the services get: the caller's bearer token, or the signed-in person's."""
    token: str | None = scope.get(PERSON_TOKEN)
    if token is not None:
        return b"Bearer " + token.encode()
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    return next(value for name, value in headers if name == b"authorization")
