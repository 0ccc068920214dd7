"""The one HTTP client to the services, and how its failures are told to the caller."""

from __future__ import annotations

import httpx

from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem


def make_upstream_client(settings: GatewaySettings) -> httpx.AsyncClient:
    """Shared by every request: pooled connections, explicit timeouts, no redirects followed, no env proxies."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(
            connect=settings.upstream_connect_timeout_s,
            read=settings.upstream_read_timeout_s,
            write=settings.upstream_read_timeout_s,
            pool=settings.upstream_connect_timeout_s,
        ),
        limits=httpx.Limits(
            max_connections=settings.upstream_max_connections,
            max_keepalive_connections=settings.upstream_max_keepalive,
        ),
        follow_redirects=False,
        trust_env=False,
    )


def upstream_problem(service: str, error: httpx.HTTPError) -> Problem:
    """503 when the service cannot be reached, 504 when it is too slow, 502 when it answers nonsense."""
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return Problem(
            503,
            "upstream-unavailable",
            f"The {service} service is unavailable; try again shortly.",
            title="Service Unavailable",
            headers={"Retry-After": "5"},
            service=service,
        )
    if isinstance(error, httpx.TimeoutException):
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
