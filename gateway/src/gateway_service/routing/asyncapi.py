"""GET /asyncapi: the platform's event catalogue (topics, CloudEvents types, payload schemas) as AsyncAPI 3,
merged from the services' own documents."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway_service.routing.docs import merged_document
from hope_contracts.asyncapi import merge, service_document

router = APIRouter(tags=["events"])


@router.get("/asyncapi", summary="The event catalogue (AsyncAPI 3.0), merged from every service's own")
async def asyncapi(request: Request) -> JSONResponse:
    # The gateway's own events (the partner organisations) join the services' documents.
    own = service_document("gateway")
    return JSONResponse(await merged_document(request, "/asyncapi", lambda found: merge({"gateway": own, **found})))
