"""GET /asyncapi: the service's own event document (what it sends and receives), merged by the gateway."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter

from hope_contracts.asyncapi import service_document


def asyncapi_router(service: str, consumed: Iterable[str]) -> APIRouter:
    document = service_document(service, consumed)
    router = APIRouter(tags=["events"])

    @router.get("/asyncapi", summary="The events this service sends and receives (AsyncAPI 3.0)")
    async def asyncapi() -> dict[str, Any]:
        return document

    return router
