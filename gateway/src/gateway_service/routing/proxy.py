"""/api/<service>/v1/...: authenticated, rate limited, and streamed both ways to the service's /v1/....

The route is a plain ASGI app rather than a FastAPI endpoint: it runs on every proxied request, and FastAPI's
request objects, dependency resolution and httpx's client pipeline (auth, redirects, cookies) were a fifth of the
gateway's CPU. It makes the same checks as the dependencies below, in the same order, and raises the same
problems (turned into problem+json documents by the app's handlers): bearer token from the Authorization header
only (kit), verification incl. the deny-list, rate limit (429), scope (403), unknown service (404), dot segments
(400). The body size limit, X-Request-ID and traceparent come from the kit's middleware around every route.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from typing import Annotated, Any

import httpcore
import httpx
from fastapi import APIRouter, Depends, Request
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from gateway_service.routing.headers import upstream_request_headers
from gateway_service.routing.limits import RateLimiter
from gateway_service.routing.scopes import check_service_scope, ensure_service_scope
from gateway_service.routing.upstreams import UpstreamTransport, relay_answer, upstream_problem
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem
from hopekit.api.security import authenticated, authenticated_scope
from hopekit.identity.principal import Principal
from hopekit.logs import request_id_var, traceparent_var

router = APIRouter()

PATH = "/api/{service}/v1/{path:path}"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
_BODILESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
_DOT_SEGMENTS = frozenset({".", "..", "%2e", "%2e%2e", ".%2e", "%2e."})
# A target made only of what httpx's URL parser leaves as it is (RFC 3986 characters, valid percent escapes)
# is passed on byte for byte; anything else goes through that parser, as it did when httpx built every request.
_PLAIN_PATH = re.compile(rb"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")
_PLAIN_QUERY = re.compile(rb"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")


async def within_rate_limit(limiter: RateLimiter, principal: Principal) -> None:
    decision = await limiter.check(principal)
    if not decision.allowed:
        raise Problem(
            429,
            "rate-limited",
            f"This client may make {decision.limit} requests per window; retry after {decision.retry_after_s}s.",
            headers={"Retry-After": str(decision.retry_after_s), "RateLimit-Limit": str(decision.limit)},
        )


async def rate_limited(request: Request, principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
    """The caller: authenticated (denied tokens refused), within its rate limit, and on /api/<service>/v1 scoped."""
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
    if any(segment in _DOT_SEGMENTS or segment.lower() in _DOT_SEGMENTS for segment in rest.split("/")):
        raise Problem(400, "invalid-path", "Dot segments are not allowed in API paths.")
    return rest.encode("latin-1") + (b"?" + query if query else b"")


class _Upstream:
    """A service's address, parsed once: what httpx.Request used to work out for every request."""

    def __init__(self, base: str) -> None:
        url = httpx.URL(base.rstrip("/"))
        self.base = base.rstrip("/")
        self.scheme = url.raw_scheme
        self.host = url.raw_host
        self.port = url.port
        self.prefix = url.raw_path.rstrip(b"/")
        self.host_header = url.netloc

    def url(self, target: bytes) -> httpcore.URL:
        path, _, query = target.partition(b"?")
        if not (_PLAIN_PATH.fullmatch(path) and _PLAIN_QUERY.fullmatch(query)):
            target = httpx.URL(self.base + target.decode("latin-1")).raw_path
        else:
            target = self.prefix + target
        return httpcore.URL(scheme=self.scheme, host=self.host, port=self.port, target=target)


class Proxy:
    """The ASGI app of the /api/<service>/v1/... route."""

    def __init__(self) -> None:
        self._upstreams: dict[str, _Upstream] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope["app"].state
        service: str = scope["path_params"]["service"]
        method: str = scope["method"]
        settings: GatewaySettings = state.settings
        # As the dependencies did: who is calling, within its rate limit, with the scope the service needs.
        principal = await authenticated_scope(scope)
        await within_rate_limit(state.rate_limiter, principal)
        check_service_scope(service, method, principal, settings.upstreams)
        upstream = self._upstreams.get(service)
        if upstream is None:
            base = settings.upstreams.get(service)
            if base is None:
                raise Problem(404, "unknown-service", f"There is no service named {service!r}.")
            upstream = self._upstreams[service] = _Upstream(base)
        incoming: list[tuple[bytes, bytes]] = scope["headers"]
        headers = upstream_request_headers(incoming, request_id_var.get() or "", traceparent_var.get() or "")
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        url = upstream.url(upstream_target(raw_path, service, scope.get("query_string", b"")))
        declared = any(name == b"content-length" for name, _ in incoming)
        content: AsyncIterator[bytes] | None = None
        if method not in _BODILESS or declared:
            content = _body(receive)
            if not declared:
                headers.append((b"Transfer-Encoding", b"chunked"))
        client: httpx.AsyncClient = state.upstream
        transport: UpstreamTransport = state.upstream_transport
        timeouts: dict[str, Any] = client.timeout.as_dict()
        outgoing = httpcore.Request(
            method.encode(),
            url,
            # Host first, as httpx put it; the caller's headers pass as they are, without a client's defaults.
            headers=[(b"Host", upstream.host_header), *headers],
            content=content,
            extensions={"timeout": timeouts},
        )
        try:
            answer, body = await transport.open(outgoing)
        except httpx.HTTPError as error:
            raise upstream_problem(service, error) from error
        except ClientDisconnect:
            # The caller left while its body was being passed on: nobody is left to answer (nginx's 499).
            await Response(status_code=499)(scope, receive, send)
            return
        await relay_answer(service, answer, body, scope, receive, send)


async def _body(receive: Receive) -> AsyncIterator[bytes]:
    """The caller's body as it arrives (the size limit is enforced by the kit's middleware in ``receive``)."""
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunk: bytes = message.get("body", b"")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()


class _ServicesRoute(Route):
    """The proxy's route for the named services only; other paths go on to the next routes."""

    def __init__(self, proxy: Proxy, services: frozenset[str]) -> None:
        super().__init__(PATH, proxy, methods=METHODS, include_in_schema=False, name="proxy-first")
        self.services = services

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE and child_scope["path_params"]["service"] not in self.services:
            return Match.NONE, {}
        return match, child_scope


def proxy_routes(services: Iterable[str], own_paths: Iterable[str]) -> tuple[Route, Route]:
    """The proxy's two routes: the first, tried before any other, serves the configured services whose
    /api/<service>/v1/... no path of the gateway's own could match (so it changes no answer, and spares walking
    every other route on each proxied request); the last is the catch-all, after every other route so the
    gateway's own paths win, which answers the rest (unknown services: 404). Neither is in the OpenAPI document."""
    claimed: set[str] = set()
    for path in own_paths:
        segments = path.split("/")
        if len(segments) > 2 and segments[1] == "api":
            claimed.add(segments[2])
    services = frozenset(services)
    if any(segment.startswith("{") for segment in claimed):
        services = frozenset()
    proxy = Proxy()
    first = _ServicesRoute(proxy, services - claimed)
    last = Route(PATH, proxy, methods=METHODS, include_in_schema=False, name="proxy")
    return first, last
