"""/api/<service>/v1/...: authenticated, rate limited, and streamed both ways to the service's /v1/...."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Request
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from gateway_service.routing.headers import upstream_request_headers
from gateway_service.routing.limits import RateLimiter
from gateway_service.routing.scopes import ensure_service_scope
from gateway_service.routing.upstreams import relay_response, upstream_problem
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem
from hopekit.api.security import authenticated
from hopekit.identity.principal import Principal
from hopekit.logs import request_id_var, traceparent_var

router = APIRouter()

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


async def rate_limited(request: Request, principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
    """The caller: authenticated (denied tokens refused), within its rate limit, and on /api/<service>/v1 scoped."""
    limiter: RateLimiter = request.app.state.rate_limiter
    decision = await limiter.check(principal)
    if not decision.allowed:
        raise Problem(
            429,
            "rate-limited",
            f"This client may make {decision.limit} requests per window; retry after {decision.retry_after_s}s.",
            headers={"Retry-After": str(decision.retry_after_s), "RateLimit-Limit": str(decision.limit)},
        )
    ensure_service_scope(request, principal)
    return principal


Caller = Annotated[Principal, Depends(rate_limited)]


def upstream_url(request: Request, service: str, base: str) -> str:
    raw_path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    prefix = f"/api/{service}".encode()
    rest = raw_path[len(prefix) :].decode("latin-1")
    segments = rest.split("/")
    if any(segment in {".", ".."} or segment.lower() in {"%2e", "%2e%2e", ".%2e", "%2e."} for segment in segments):
        raise Problem(400, "invalid-path", "Dot segments are not allowed in API paths.")
    query = request.scope.get("query_string", b"").decode("latin-1")
    return base.rstrip("/") + rest + (f"?{query}" if query else "")


@router.api_route("/api/{service}/v1/{path:path}", methods=METHODS, include_in_schema=False)
async def proxy(service: str, path: str, request: Request, principal: Caller) -> Response:
    settings: GatewaySettings = request.app.state.settings
    base = settings.upstreams.get(service)
    if base is None:
        raise Problem(404, "unknown-service", f"There is no service named {service!r}.")
    client: httpx.AsyncClient = request.app.state.upstream
    headers = upstream_request_headers(
        request.scope["headers"], request_id_var.get() or "", traceparent_var.get() or ""
    )

    async def body() -> AsyncIterator[bytes]:
        async for chunk in request.stream():
            if chunk:
                yield chunk

    has_body = request.method not in {"GET", "HEAD", "OPTIONS", "DELETE"} or "content-length" in request.headers
    # Built directly rather than by client.build_request: the caller's headers pass as they are, without the
    # client's defaults (its User-Agent, an Accept-Encoding the caller never asked for) or the cost of merging them.
    outgoing = httpx.Request(
        request.method,
        upstream_url(request, service, base),
        headers=headers,
        content=body() if has_body else None,
        extensions={"timeout": client.timeout.as_dict()},
    )
    try:
        upstream = await client.send(outgoing, stream=True)
    except httpx.HTTPError as error:
        raise upstream_problem(service, error) from error
    except ClientDisconnect:
        # The caller left while its body was being passed on: nobody is left to answer (nginx's 499).
        return Response(status_code=499)
    return await relay_response(service, upstream)
