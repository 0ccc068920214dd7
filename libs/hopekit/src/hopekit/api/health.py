"""Liveness and readiness: ready means the database answers and, when configured, Kafka does too."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from hopekit.events.relay import readiness as relay_readiness

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


_NOT_READY = {"description": "Not ready: the checks say which dependency is not", "content": {"application/json": {}}}


@router.get("/ready", responses={503: _NOT_READY})
async def ready(request: Request) -> JSONResponse:
    checks: dict[str, Any] = {
        "database": await _database(request),
        "kafka": await _kafka(request),
        "relay": relay_readiness(request.app.state.events.relay),
    }
    ok = all(check in ("ok", "not_configured") for check in checks.values())
    return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)


async def _database(request: Request) -> str:
    try:
        async with request.app.state.database.engine.connect() as connection:
            await asyncio.wait_for(connection.execute(text("SELECT 1")), 2.0)
    except Exception:
        return "unreachable"
    return "ok"


async def _kafka(request: Request) -> str:
    runtime = request.app.state.events
    if runtime.settings.kafka_bootstrap is None:
        return "not_configured"
    if runtime.producer is None:
        return "connecting"
    try:
        await asyncio.wait_for(runtime.producer.client.fetch_all_metadata(), 2.0)
    except Exception:
        return "unreachable"
    return "ok"
