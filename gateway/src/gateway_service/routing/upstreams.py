"""The one client to the services, and how its failures are told to the caller."""

from __future__ import annotations

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway_service.routing.headers import downstream_response_headers
from gateway_service.routing.service_client import (
    ServiceAnswer,
    ServiceClient,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem

# An answer with a known length up to this size (most API answers) is read whole and passed on in one piece;
# larger or unknown-length answers are streamed.
WHOLE_BODY_MAX = 64 * 1024
# What a call to a service can raise.
UPSTREAM_ERRORS = (UpstreamError,)


def make_service_client(settings: GatewaySettings) -> ServiceClient:
    """Shared by every request: the proxy, the overview and the merged documents. It follows no redirect, sends
    no header of its own but Host, keeps no cookie and decompresses nothing."""
    return ServiceClient(
        max_connections=settings.upstream_max_connections,
        connect_timeout_s=settings.upstream_connect_timeout_s,
        read_timeout_s=settings.upstream_read_timeout_s,
    )


async def relay_answer(service: str, answer: ServiceAnswer, scope: Scope, receive: Receive, send: Send) -> None:
    """The service's answer for the caller. A small one of known length is read first and sent in one piece,
    which spares a streaming task per request and turns a truncated answer into a 502; anything else is streamed
    as it arrives. The caller of this closes ``answer`` (also when the caller leaves half way)."""
    headers = downstream_response_headers(answer.headers, answer.origin, f"/api/{service}".encode())
    length = answer.content_length
    if length is not None and length <= WHOLE_BODY_MAX:
        try:
            whole = await answer.read()
        except UPSTREAM_ERRORS as error:
            raise upstream_problem(service, error) from error
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": whole})
        return
    streamed = StreamingResponse(answer.chunks(), status_code=answer.status)
    streamed.raw_headers = headers
    await streamed(scope, receive, send)


def upstream_problem(service: str, error: BaseException) -> Problem:
    """503 when the service cannot be reached, 504 when it is too slow, 502 when it answers nonsense."""
    if isinstance(error, UpstreamUnavailable):
        return Problem(
            503,
            "upstream-unavailable",
            f"The {service} service is unavailable; try again shortly.",
            title="Service Unavailable",
            headers={"Retry-After": "5"},
            service=service,
        )
    if isinstance(error, UpstreamTimeout):
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
