"""What the integration tests check answers and the outbox with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from employment_service.adapters.tables import kit

SERVICE_ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    if slug is not None:
        assert problem["type"] == f"urn:hope:problem:{slug}"
    return problem


async def outbox(database_url: str) -> list[dict[str, Any]]:
    """The events written so far, payloads decoded (no Kafka here: they wait in the outbox)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(kit.outbox.c.type, kit.outbox.c.payload))
            return [{"type": row.type, **json.loads(row.payload)} for row in rows]
    finally:
        await engine.dispose()
