"""GET /api/beneficiaries/{id}/overview: what the caller may see of one person, from every service, at once.

Each part is asked with the caller's own token, so each service applies its own access rules. A part whose
service the token's scopes do not cover is not asked at all (``out_of_scope``). A service that is slow, down
or broken leaves its parts empty with a status saying why, and the answer is marked ``partial``. The person
registry (enrolment) decides whether there is anyone to show: when it answers "no such person" to this
caller, there is no overview either (404); when it was asked and did not answer, the gateway cannot tell a
person from a random id, so there is no overview but a 503 to retry (never 200 ``partial`` for anyone).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from gateway_service.domain.scopes import read_scope
from gateway_service.routing.person_calls import upstream_authorization
from gateway_service.routing.proxy import Caller
from gateway_service.routing.scopes import insufficient_scope
from gateway_service.routing.service_client import Headers, ServiceClient, UpstreamError, UpstreamUnavailable
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem
from hopekit.identity.principal import Principal
from hopekit.logs import request_id_var, traceparent_var

router = APIRouter(tags=["composition"])

REGISTRY = "enrolment"
# When the registry did not answer: how long a caller waits before asking again.
RETRY_AFTER_S = 5


@dataclass(frozen=True)
class Source:
    service: str
    part: str
    path: str


# What each service tells about one person; services join as they exist.
SOURCES = (
    Source("enrolment", "beneficiary", "/v1/beneficiaries/{id}"),
    Source("training", "ledger", "/v1/beneficiaries/{id}/ledger"),
    Source("training", "language", "/v1/beneficiaries/{id}/language"),
    Source("training", "qualifications", "/v1/beneficiaries/{id}/qualifications"),
)


class PartStatus(StrEnum):
    OK = "ok"
    NOT_VISIBLE = "not_visible"
    OUT_OF_SCOPE = "out_of_scope"
    UNAVAILABLE = "unavailable"
    TIMEOUT = "timeout"
    ERROR = "error"


FAILED = frozenset({PartStatus.UNAVAILABLE, PartStatus.TIMEOUT, PartStatus.ERROR})


class Part(BaseModel):
    status: PartStatus
    http_status: int | None = None
    data: dict[str, Any] | list[Any] | None = None


class Overview(BaseModel):
    beneficiary_id: UUID
    partial: bool = Field(description="A part failed (unavailable, timeout, error): asking again may give more.")
    sources: dict[str, dict[str, Part]] = Field(description="Service, then part of what it holds on the person.")


async def _ask(client: ServiceClient, url: str, headers: Headers, timeout_s: float) -> Part:
    try:
        async with asyncio.timeout(timeout_s):
            status, body = await client.get(url, headers)
    except UpstreamUnavailable:
        return Part(status=PartStatus.UNAVAILABLE)
    except TimeoutError:
        return Part(status=PartStatus.TIMEOUT)
    except UpstreamError:
        # Broken answers, and the client's own read timeout (longer than the overview's).
        return Part(status=PartStatus.ERROR)
    if status == 200:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict | list):
            return Part(status=PartStatus.OK, http_status=200, data=data)
        return Part(status=PartStatus.ERROR, http_status=200)
    if status in {403, 404}:
        return Part(status=PartStatus.NOT_VISIBLE, http_status=status)
    if status in {502, 503}:
        return Part(status=PartStatus.UNAVAILABLE, http_status=status)
    return Part(status=PartStatus.ERROR, http_status=status)


def _registry_down(registry: Part | None) -> bool:
    """Enrolment was asked and gave no decision: unreachable, too slow, a broken answer or a 5xx. (A 4xx other
    than 403/404, such as a token it does not accept yet, is its answer to this caller, not an outage.)"""
    if registry is None or registry.status not in FAILED:
        return False
    return registry.http_status is None or registry.http_status >= 500


def _visible_to_nobody(sources: dict[str, dict[str, Part]]) -> bool:
    registry = sources.get(REGISTRY, {}).get("beneficiary")
    if registry is not None and registry.status is PartStatus.NOT_VISIBLE:
        return True
    asked = [
        part for parts in sources.values() for part in parts.values() if part.status is not PartStatus.OUT_OF_SCOPE
    ]
    return bool(asked) and all(part.status is PartStatus.NOT_VISIBLE for part in asked)


@router.get(
    "/api/beneficiaries/{beneficiary_id}/overview",
    response_model=Overview,
    summary="One person as the caller may see them across services: partial when a service fails, 503 if enrolment",
)
async def overview(beneficiary_id: UUID, request: Request, principal: Caller) -> Overview:
    settings: GatewaySettings = request.app.state.settings
    client: ServiceClient = request.app.state.upstream
    headers = [
        (b"authorization", upstream_authorization(request.scope)),
        (b"x-request-id", (request_id_var.get() or "").encode()),
        (b"traceparent", (traceparent_var.get() or "").encode()),
    ]
    sources = [source for source in SOURCES if source.service in settings.upstreams]
    _ensure_some_scope(principal, sources)

    async def fetch(source: Source) -> Part:
        if read_scope(source.service) not in principal.scopes:
            return Part(status=PartStatus.OUT_OF_SCOPE)
        url = settings.upstreams[source.service].rstrip("/") + source.path.format(id=beneficiary_id)
        return await _ask(client, url, headers, settings.overview_timeout_s)

    parts = await asyncio.gather(*(fetch(source) for source in sources))
    composed: dict[str, dict[str, Part]] = {}
    for source, part in zip(sources, parts, strict=True):
        composed.setdefault(source.service, {})[source.part] = part
    if _registry_down(composed.get(REGISTRY, {}).get("beneficiary")):
        raise Problem(
            503,
            "registry-unavailable",
            "The person registry (enrolment) did not answer: whether there is anyone to show is not known. "
            "Try again later.",
            title="Service Unavailable",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    if _visible_to_nobody(composed):
        raise Problem(404, "not-found", "No such beneficiary, or none you may see.")
    partial = any(part.status in FAILED for parts in composed.values() for part in parts.values())
    return Overview(beneficiary_id=beneficiary_id, partial=partial, sources=composed)


def _ensure_some_scope(principal: Principal, sources: list[Source]) -> None:
    needed = sorted({read_scope(source.service) for source in sources})
    if needed and not any(scope in principal.scopes for scope in needed):
        raise insufficient_scope(needed, "An overview needs the read scope of at least one of its services.")
