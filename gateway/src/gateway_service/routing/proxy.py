"""/api/<service>/v1/...: authenticated, rate limited, and streamed both ways to the service's /v1/....

The route is a plain ASGI app rather than a FastAPI endpoint, reached through :class:`ProxyLane`: it runs on every
proxied request, and FastAPI's request objects, dependency resolution and exception layers do nothing for it. It
makes the same checks as the dependencies below, in the same order, and raises the same problems: bearer token
from the Authorization header only (kit), or a signed-in person's session cookie (with the CSRF token on unsafe
methods) when there is none, verification incl. the deny-list, rate limit (429), scope (403), unknown
service (404), dot segments (400). The body size limit, X-Request-ID and traceparent come from the kit's
middleware around every route.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from gateway_service.routing.headers import upstream_request_headers
from gateway_service.routing.limits import RateLimiter
from gateway_service.routing.person_calls import PERSON_TOKEN, PersonCalls, with_bearer
from gateway_service.routing.scopes import check_service_scope, ensure_service_scope
from gateway_service.routing.service_client import ServiceClient
from gateway_service.routing.upstreams import UPSTREAM_ERRORS, relay_answer, upstream_problem
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem
from hopekit.api.security import authenticated_scope
from hopekit.identity.principal import Principal
from hopekit.logs import request_id_var, traceparent_var

router = APIRouter()
# Declares the bearer scheme in the OpenAPI document; the token itself is read by authenticated_scope.
_bearer = HTTPBearer(auto_error=False, description="Access token from the gateway's /oauth/token")

PATH = "/api/{service}/v1/{path:path}"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
_METHODS = frozenset(METHODS)
_BODILESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
# A segment "." or "..", written plainly or percent-encoded, in any case, and ended by what some server behind
# could take for the end of a segment: "/" encoded ("%2f"), a backslash ("\\", "%5c"), or ";" (path parameters,
# "..;/" climbs a directory in Tomcat and its kin).
_DOT_SEGMENT = re.compile(r"(?:/|%2f|\\|%5c)(?:\.|%2e){1,2}(?=/|%2f|\\|%5c|;|$)", re.IGNORECASE)
# What may not go on the wire as it is in a request target: bytes outside RFC 3986's characters (a fragment's
# "#" included), and a "%" that starts no escape.
_UNSAFE = re.compile(rb"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]")


async def within_rate_limit(limiter: RateLimiter, principal: Principal) -> None:
    decision = await limiter.check(principal)
    if not decision.allowed:
        raise Problem(
            429,
            "rate-limited",
            f"This client may make {decision.limit} requests per window; retry after {decision.retry_after_s}s.",
            headers={"Retry-After": str(decision.retry_after_s), "RateLimit-Limit": str(decision.limit)},
        )


async def caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """A signed-in person (session cookie, no bearer token), or the client of the bearer token (denied tokens
    refused)."""
    person_calls: PersonCalls = request.app.state.person_calls
    person = await person_calls.caller(request.scope)
    if person is None:
        return await authenticated_scope(request.scope)
    request.scope[PERSON_TOKEN] = person[1]
    return person[0]


async def rate_limited(request: Request, principal: Annotated[Principal, Depends(caller)]) -> Principal:
    """The caller: authenticated, within its rate limit, and on /api/<service>/v1 scoped."""
    await within_rate_limit(request.app.state.rate_limiter, principal)
    ensure_service_scope(request, principal)
    return principal


Caller = Annotated[Principal, Depends(rate_limited)]


def upstream_target(raw_path: bytes, service: str, query: bytes) -> bytes:
    """The path and query after /api/<service>; 400 for dot segments, which could climb out of /v1."""
    prefix = f"/api/{service}/".encode()
    if not raw_path.startswith(prefix):
        # The service's name was percent-encoded: what follows it cannot be told apart reliably.
        raise Problem(400, "invalid-path", "The service name must be written as it is in API paths.")
    rest = raw_path[len(prefix) - 1 :].decode("latin-1")
    if _DOT_SEGMENT.search(rest):
        raise Problem(400, "invalid-path", "Dot segments are not allowed in API paths.")
    return rest.encode("latin-1") + (b"?" + query if query else b"")


def quoted_target(target: bytes) -> bytes:
    """``target`` as it may go on the wire: a plain one byte for byte, any other byte percent-encoded."""
    return _UNSAFE.sub(lambda unsafe: b"%%%02X" % unsafe.group()[0], target)


class Proxy:
    """The ASGI app of the /api/<service>/v1/... route."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope["app"].state
        service: str = scope["path_params"]["service"]
        method: str = scope["method"]
        settings: GatewaySettings = state.settings
        # As the dependencies did: who is calling, within its rate limit, with the scope the service needs. A
        # signed-in person is the caller when the request has their session cookie and no bearer token.
        person_calls: PersonCalls = state.person_calls
        person = await person_calls.caller(scope)
        principal = person[0] if person is not None else await authenticated_scope(scope)
        await within_rate_limit(state.rate_limiter, principal)
        check_service_scope(service, method, principal, settings.upstreams)
        base = settings.upstreams.get(service)
        if base is None:
            raise Problem(404, "unknown-service", f"There is no service named {service!r}.")
        incoming: list[tuple[bytes, bytes]] = scope["headers"]
        request_id, traceparent = request_id_var.get() or "", traceparent_var.get() or ""
        headers = upstream_request_headers(incoming, request_id, traceparent, f"/api/{service}")
        if person is not None:
            headers = with_bearer(headers, person[1])
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        target = quoted_target(upstream_target(raw_path, service, scope.get("query_string", b"")))
        declared = any(name == b"content-length" for name, _ in incoming)
        body: _CallerBody | None = None
        if method not in _BODILESS or declared:
            # Without a declared length the client sends the body chunked, as it arrives.
            body = _CallerBody(receive)
        client: ServiceClient = state.upstream
        try:
            answer = await client.request(method, base, target, headers, body)
        except ClientDisconnect:
            # The caller left while its body was read: nobody is left to answer (nginx's 499).
            await Response(status_code=499)(scope, receive, send)
            return
        except UPSTREAM_ERRORS as error:
            raise upstream_problem(service, error) from error
        async with answer:
            await relay_answer(service, answer, scope, receive, send)


class _CallerBody:
    """The caller's body as it arrives. The kit's middleware enforces the size limit in ``receive`` (a 413
    problem raised from here); a caller that leaves half way raises ClientDisconnect."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            message = await self._receive()
            if message["type"] == "http.request":
                chunk: bytes = message.get("body", b"")
                if chunk:
                    yield chunk
                if not message.get("more_body", False):
                    return
            elif message["type"] == "http.disconnect":
                raise ClientDisconnect()


class ProxyLane:
    """The fast lane for /api/<service>/v1/... of the services no path of the gateway's own could match:
    straight to the proxy, past FastAPI's own layers (see :mod:`gateway_service.routing.lane`). Other requests,
    and methods the proxy does not take, go the usual way."""

    def __init__(self, proxy: Proxy, services: frozenset[str]) -> None:
        self.proxy = proxy
        self.services = services

    def claims(self, scope: Scope) -> bool:
        """As the route ``/api/{service}/v1/{path:path}`` would match, for these services; sets its path_params."""
        path: str = scope["path"]
        if scope["method"] not in _METHODS or not path.startswith("/api/"):
            return False
        service, _, rest = path[5:].partition("/")
        if service not in self.services or not rest.startswith("v1/"):
            return False
        scope["path_params"] = {"service": service, "path": rest[3:]}
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.proxy(scope, receive, send)


def proxy_routes(services: Iterable[str], own_paths: Iterable[str]) -> tuple[ProxyLane, Route]:
    """The proxy's lane and its route. The lane (ahead of FastAPI's layers) serves the configured services whose
    /api/<service>/v1/... no path of the gateway's own could match, so it changes no answer; the catch-all route,
    after every other route of the router so the gateway's own paths win, answers the rest (unknown services:
    404). Neither is in the OpenAPI document."""
    claimed: set[str] = set()
    for path in own_paths:
        segments = path.split("/")
        if len(segments) > 2 and segments[1] == "api":
            claimed.add(segments[2])
    services = frozenset(services)
    if any(segment.startswith("{") for segment in claimed):
        services = frozenset()
    proxy = Proxy()
    lane = ProxyLane(proxy, services - claimed)
    last = Route(PATH, proxy, methods=METHODS, include_in_schema=False, name="proxy")
    return lane, last
