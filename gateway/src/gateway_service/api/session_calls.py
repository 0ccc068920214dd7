"""Calls through /api/<service>/v1/... made by a signed-in person: the session cookie, and on anything but a read
the page's CSRF token in ``X-CSRF-Token``. The person's principal then goes through the same rate limit and
scope check as a client's, and the services receive a token of the same kind as a client's."""

from __future__ import annotations

from starlette.requests import cookie_parser
from starlette.types import Scope

from gateway_service.api.web import SESSION_COOKIE, check_call_csrf
from gateway_service.domain.csrf import CSRF_HEADER
from gateway_service.service_layer.person_sessions import PersonTokens, SessionResolver
from hopekit.api.problems import Problem
from hopekit.identity.principal import Principal

_CSRF_HEADER = CSRF_HEADER.encode()


class SessionCalls:
    def __init__(self, resolver: SessionResolver, tokens: PersonTokens, csrf_key: bytes) -> None:
        self._resolver = resolver
        self._tokens = tokens
        self._csrf_key = csrf_key

    async def caller(self, scope: Scope) -> tuple[Principal, str] | None:
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if any(name == b"authorization" for name, _ in headers):
            return None  # a client's call, whatever cookies ride along
        raw = b"; ".join(value for name, value in headers if name == b"cookie")
        cookie = cookie_parser(raw.decode("latin-1")).get(SESSION_COOKIE) if raw else None
        if not cookie:
            return None
        signed_in = await self._resolver.resolve(cookie)
        if signed_in is None or not signed_in.session.complete:
            raise Problem(401, "session-ended", "The session has ended or is not complete: sign in again.")
        offered = next((value.decode("latin-1") for name, value in headers if name == _CSRF_HEADER), None)
        check_call_csrf(self._csrf_key, scope["method"], cookie, offered)
        principal = signed_in.principal
        scope.setdefault("state", {})["principal"] = principal
        return principal, await self._tokens.token(signed_in)
