"""GET /api/beneficiaries/{id}/overview: what the caller may see of one person, from every service, at once.

Each service is asked with the caller's own token, so each applies its own access rules; a service that is
slow, down or broken leaves its part empty with a status saying why, and the answer is marked partial.
"""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Any
from uuid import UUID

import httpx
from fastapi import APIRouter, Request
from pydantic import BaseModel

from gateway_service.routing.proxy import Caller
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem
from hopekit.logs import request_id_var, traceparent_var

router = APIRouter(tags=["composition"])

# Where each service answers "this person, as this caller may see them"; services join as they exist.
SOURCES: dict[str, str] = {"enrolment": "/v1/beneficiaries/{id}"}


class SourceStatus(StrEnum):
    OK = "ok"
    NOT_VISIBLE = "not_visible"
    UNAVAILABLE = "unavailable"
    TIMEOUT = "timeout"
    ERROR = "error"


class SourcePart(BaseModel):
    status: SourceStatus
    http_status: int | None = None
    data: dict[str, Any] | None = None


class Overview(BaseModel):
    beneficiary_id: UUID
    partial: bool
    sources: dict[str, SourcePart]


async def _ask(client: httpx.AsyncClient, url: str, headers: dict[str, str], timeout_s: float) -> SourcePart:
    try:
        response = await asyncio.wait_for(client.get(url, headers=headers), timeout_s)
    except (TimeoutError, httpx.TimeoutException):
        return SourcePart(status=SourceStatus.TIMEOUT)
    except (httpx.ConnectError, httpx.PoolTimeout):
        return SourcePart(status=SourceStatus.UNAVAILABLE)
    except httpx.HTTPError:
        return SourcePart(status=SourceStatus.ERROR)
    if response.status_code == 200:
        try:
            return SourcePart(status=SourceStatus.OK, http_status=200, data=response.json())
        except ValueError:
            return SourcePart(status=SourceStatus.ERROR, http_status=200)
    if response.status_code in {403, 404}:
        return SourcePart(status=SourceStatus.NOT_VISIBLE, http_status=response.status_code)
    if response.status_code in {502, 503}:
        return SourcePart(status=SourceStatus.UNAVAILABLE, http_status=response.status_code)
    return SourcePart(status=SourceStatus.ERROR, http_status=response.status_code)


@router.get(
    "/api/beneficiaries/{beneficiary_id}/overview",
    response_model=Overview,
    summary="One person as the caller may see them across services; partial when a service fails",
)
async def overview(beneficiary_id: UUID, request: Request, principal: Caller) -> Overview:
    settings: GatewaySettings = request.app.state.settings
    client: httpx.AsyncClient = request.app.state.upstream
    headers = {
        "Authorization": request.headers["authorization"],
        "X-Request-ID": request_id_var.get() or "",
        "traceparent": traceparent_var.get() or "",
    }
    asked = {
        service: settings.upstreams[service].rstrip("/") + template.format(id=beneficiary_id)
        for service, template in SOURCES.items()
        if service in settings.upstreams
    }
    parts = await asyncio.gather(*(_ask(client, url, headers, settings.overview_timeout_s) for url in asked.values()))
    sources = dict(zip(asked, parts, strict=True))
    if sources and all(part.status is SourceStatus.NOT_VISIBLE for part in sources.values()):
        raise Problem(404, "not-found", "No such beneficiary, or none you may see.")
    partial = any(part.status not in {SourceStatus.OK, SourceStatus.NOT_VISIBLE} for part in sources.values())
    return Overview(beneficiary_id=beneficiary_id, partial=partial, sources=sources)
