"""One OpenAPI document for the whole platform: the gateway's own API and every service's under its prefix."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway_service.domain.scopes import described, scope_for
from gateway_service.routing.service_client import ServiceClient
from gateway_service.routing.upstreams import UPSTREAM_ERRORS
from gateway_service.settings import GatewaySettings
from hopekit.api.openapi import behind_gateway

router = APIRouter()

_REF = "#/components/schemas/"
_CACHE_S = 60.0


def _prefix_refs(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        return {
            key: (_REF + prefix + value[len(_REF) :])
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF)
            else _prefix_refs(value, prefix)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_prefix_refs(item, prefix) for item in node]
    return node


def merge_openapi(own: dict[str, Any], services: Mapping[str, dict[str, Any] | None]) -> dict[str, Any]:
    """Service paths ``/v1/...`` become ``/api/<service>/v1/...``; their schemas get the service's name in front."""
    merged = {**own, "paths": dict(own.get("paths", {}))}
    components = merged.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemes = components.setdefault("securitySchemes", {})
    schemes["oauth2"] = {
        "type": "oauth2",
        "description": "Client credentials issued by the programme operator. Scopes limit what a client may do "
        "through the gateway; the roles in its token still decide what each service allows.",
        "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": described(services)}},
    }
    schemes.setdefault("HTTPBearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    tags = list(merged.get("tags", []))
    unavailable = []
    for service, spec in services.items():
        if spec is None:
            unavailable.append(service)
            continue
        prefix = service.capitalize()
        for path, item in spec.get("paths", {}).items():
            if not path.startswith("/v1/") and path != "/v1":
                continue
            operations = _prefix_refs(item, prefix)
            for method, operation in operations.items():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["tags"] = [f"{service}: {tag}" for tag in operation.get("tags", [service])]
                    if "operationId" in operation:
                        operation["operationId"] = f"{service}_{operation['operationId']}"
                    _prefix_link_targets(operation, service)
                    # Behind the gateway every operation needs its token, with the scope its method needs.
                    needed = scope_for(service, method.upper())
                    operation["security"] = [{"oauth2": [needed]}, {"HTTPBearer": []}]
                    behind_gateway(operation)
            merged["paths"][f"/api/{service}{path}"] = operations
        for name, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas[prefix + name] = _prefix_refs(schema, prefix)
        tags.append({"name": service, "description": spec.get("info", {}).get("description", "")})
    merged["tags"] = tags
    if unavailable:
        merged.setdefault("info", {})["x-hope-unavailable-services"] = sorted(unavailable)
    return merged


def _prefix_link_targets(operation: dict[str, Any], service: str) -> None:
    """A service's OpenAPI links name its own operationIds: they follow the operations' new names."""
    for response in operation.get("responses", {}).values():
        for link in response.get("links", {}).values() if isinstance(response, dict) else ():
            if isinstance(link, dict) and "operationId" in link:
                link["operationId"] = f"{service}_{link['operationId']}"


async def _fetch(client: ServiceClient, url: str, timeout_s: float) -> dict[str, Any] | None:
    try:
        async with asyncio.timeout(timeout_s):
            status, body = await client.get(url)
        document = json.loads(body) if status == 200 else None
    except (*UPSTREAM_ERRORS, TimeoutError, ValueError):
        return None
    return document if isinstance(document, dict) else None


Merge = Callable[[dict[str, dict[str, Any] | None]], dict[str, Any]]


async def merged_document(request: Request, path: str, merge: Merge) -> dict[str, Any]:
    """``merge`` of every service's document at ``path`` (None for a service that gave none), asked at once; kept
    for a minute once every service has answered, asked again on each call until then."""
    state = request.app.state
    caches: dict[str, tuple[float, dict[str, Any]]] = getattr(state, "document_caches", {})
    cached = caches.get(path)
    if cached is not None and time.monotonic() - cached[0] < _CACHE_S:
        return cached[1]
    settings: GatewaySettings = state.settings
    client: ServiceClient = state.upstream
    names = list(settings.upstreams)
    urls = [settings.upstreams[name].rstrip("/") + path for name in names]
    found = await asyncio.gather(*(_fetch(client, url, settings.docs_timeout_s) for url in urls))
    document = merge(dict(zip(names, found, strict=True)))
    if all(each is not None for each in found):
        state.document_caches = {**caches, path: (time.monotonic(), document)}
    return document


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request) -> JSONResponse:
    own = request.app.openapi()
    return JSONResponse(await merged_document(request, "/openapi.json", lambda specs: merge_openapi(own, specs)))
