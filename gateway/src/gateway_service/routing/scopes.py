"""Scope checks at the edge: 403 ``insufficient-scope`` with the RFC 6750 §3.1 challenge naming what is needed."""

from __future__ import annotations

from collections.abc import Container, Sequence

from fastapi import Request

from gateway_service.domain.scopes import scope_for
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem
from hopekit.identity.principal import Principal


def insufficient_scope(needed: Sequence[str], detail: str) -> Problem:
    return Problem(
        403,
        "insufficient-scope",
        detail,
        headers={"WWW-Authenticate": f'Bearer realm="hope", error="insufficient_scope", scope="{" ".join(needed)}"'},
        required_scopes=list(needed),
    )


def ensure_service_scope(request: Request, principal: Principal) -> None:
    """For /api/<service>/v1/...: reading needs ``<service>:read``, anything else ``<service>:write``."""
    settings: GatewaySettings = request.app.state.settings
    check_service_scope(request.path_params.get("service"), request.method, principal, settings.upstreams)


def check_service_scope(service: str | None, method: str, principal: Principal, services: Container[str]) -> None:
    if service is None or service not in services:
        return  # not a service path, or an unknown service the proxy answers 404 for
    needed = scope_for(service, method)
    if needed not in principal.scopes:
        raise insufficient_scope([needed], f"This client's token does not carry the {needed} scope.")
