"""Rate limits per client: in one gateway's memory, and shared by two gateways through Redis."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
import redis.asyncio

from gateway_service.main import create_app
from gateway_service.settings import GatewaySettings
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import running

from .conftest import Platform

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/0"


def _settings(platform: Platform, **changes: Any) -> GatewaySettings:
    settings: GatewaySettings = platform.settings.model_copy(update=changes)
    return settings


async def _redis_available() -> bool:
    client = redis.asyncio.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await client.ping()
    except (redis.RedisError, OSError):
        return False
    finally:
        await client.aclose()
    return True


async def _gateways(stack: AsyncExitStack, settings: GatewaySettings, count: int) -> list[httpx.AsyncClient]:
    return [await stack.enter_async_context(running(create_app(settings))) for _ in range(count)]


@pytest.fixture
def tight_limits(platform: Platform) -> GatewaySettings:
    return _settings(platform, rate_limits={"reader": 3, "writer": 5}, rate_limit_window_s=3600)


async def test_a_client_over_its_limit_gets_429_with_retry_after(
    platform: Platform, tight_limits: GatewaySettings
) -> None:
    reader = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    headers = await platform.headers(reader)
    other = await platform.headers(await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.READER))
    async with AsyncExitStack() as stack:
        (gateway,) = await _gateways(stack, tight_limits, 1)
        statuses = [(await gateway.get("/api/stub/v1/echo", headers=headers)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = await gateway.get("/api/stub/v1/echo", headers=headers)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert refused.headers["content-type"].startswith("application/problem+json")
        # Another client of the same role has its own allowance.
        assert (await gateway.get("/api/stub/v1/echo", headers=other)).status_code == 200


async def test_limits_follow_the_role(platform: Platform, tight_limits: GatewaySettings) -> None:
    writer = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER, Role.READER)
    headers = await platform.headers(writer)
    async with AsyncExitStack() as stack:
        (gateway,) = await _gateways(stack, tight_limits, 1)
        statuses = [(await gateway.get("/api/stub/v1/echo", headers=headers)).status_code for _ in range(6)]
        assert statuses == [200] * 5 + [429]


async def test_limits_hold_across_gateway_instances_sharing_redis(
    platform: Platform, tight_limits: GatewaySettings
) -> None:
    if not await _redis_available():
        pytest.skip("no Redis at " + REDIS_URL)
    shared = tight_limits.model_copy(update={"redis_url": REDIS_URL})
    reader = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    headers = await platform.headers(reader)
    async with AsyncExitStack() as stack:
        first, second = await _gateways(stack, shared, 2)
        results = await asyncio.gather(
            first.get("/api/stub/v1/echo", headers=headers),
            second.get("/api/stub/v1/echo", headers=headers),
            first.get("/api/stub/v1/echo", headers=headers),
            second.get("/api/stub/v1/echo", headers=headers),
            second.get("/api/stub/v1/echo", headers=headers),
        )
        assert sorted(r.status_code for r in results) == [200, 200, 200, 429, 429]
