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
