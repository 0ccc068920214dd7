"""The one HTTP client to the services, and how its failures are told to the caller.

aiohttp rather than httpx: with the rest of the gateway unchanged, in front of a trivial service at a fixed 100
requests/s on a 2-core machine, the gateway added about 2.0 ms to a read with httpx's client (over an aiohttp
transport), 1.7-1.8 ms with httpcore over a pool and network backend of our own, and 1.2-1.4 ms with aiohttp's
client, whose HTTP parser is compiled and whose pool its maintainers keep. The composed reads (overview, merged
documents) share the same session and pool.
"""

from __future__ import annotations

import asyncio

import aiohttp
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway_service.routing.headers import downstream_response_headers
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem

# Below uvicorn's 5 s keep-alive timeout, so the service never closes a connection just as it is reused.
KEEPALIVE_EXPIRY_S = 4.0
# An answer with a known length up to this size (most API answers) is read whole and passed on in one piece;
# larger or unknown-length answers are streamed.
WHOLE_BODY_MAX = 64 * 1024
# aiohttp adds these unless told not to; the caller's own headers are passed on as they are, without a client's.
_NO_DEFAULT_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")
# What a call to a service can raise: the client's errors, and its timeouts.
UPSTREAM_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)


def make_upstream_session(settings: GatewaySettings) -> aiohttp.ClientSession:
    """Shared by every request: pooled keep-alive connections up to ``upstream_max_connections``, explicit
    timeouts (waiting for a pooled connection or making one, then reading), no redirects followed (each call says
    so), no proxies from the environment, no decompression, and no cookie jar (a cookie one service sets must never
    be replayed for another caller). A pooled connection the service has meanwhile closed is replaced, and an
    idempotent request that meets one is sent again on a new connection."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(
            limit=settings.upstream_max_connections, limit_per_host=0, keepalive_timeout=KEEPALIVE_EXPIRY_S
        ),
        timeout=aiohttp.ClientTimeout(
            total=None,
            connect=settings.upstream_connect_timeout_s,
            sock_connect=settings.upstream_connect_timeout_s,
            sock_read=settings.upstream_read_timeout_s,
        ),
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=_NO_DEFAULT_HEADERS,
        auto_decompress=False,
        trust_env=False,
    )


async def relay_answer(
    service: str, answer: aiohttp.ClientResponse, scope: Scope, receive: Receive, send: Send
) -> None:
    """The service's answer for the caller. A small one of known length is read first and sent in one piece,
    which spares a streaming task per request and turns a truncated answer into a 502; anything else is streamed
    as it arrives. The caller of this closes ``answer`` (also when the caller leaves half way)."""
    headers = downstream_response_headers(answer.raw_headers)
    length = answer.content_length
    if length is not None and length <= WHOLE_BODY_MAX:
        try:
            whole = await answer.read()
        except UPSTREAM_ERRORS as error:
            raise upstream_problem(service, error) from error
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": whole})
        return
    streamed = StreamingResponse(answer.content.iter_any(), status_code=answer.status)
    streamed.raw_headers = headers
    await streamed(scope, receive, send)


def upstream_problem(service: str, error: BaseException) -> Problem:
    """503 when the service cannot be reached, 504 when it is too slow, 502 when it answers nonsense."""
    if isinstance(error, aiohttp.ConnectionTimeoutError | aiohttp.ClientConnectorError):
        return Problem(
            503,
            "upstream-unavailable",
            f"The {service} service is unavailable; try again shortly.",
            title="Service Unavailable",
            headers={"Retry-After": "5"},
            service=service,
        )
    if isinstance(error, asyncio.TimeoutError):
        return Problem(
            504,
            "upstream-timeout",
            f"The {service} service did not answer in time.",
            title="Gateway Timeout",
            service=service,
        )
    return Problem(
        502, "upstream-error", f"The {service} service gave an invalid answer.", title="Bad Gateway", service=service
    )
