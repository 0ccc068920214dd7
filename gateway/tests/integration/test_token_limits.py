"""POST /oauth/token is bounded per client id from one source address, and per source address: 429 slow_down with
Retry-After."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import pytest
import redis.asyncio
from asgi_lifespan import LifespanManager

from gateway_service.main import create_app
from gateway_service.settings import GatewaySettings
from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Platform

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/0"


@asynccontextmanager
async def gateway(settings: GatewaySettings, *addresses: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One gateway in-process, and a client calling it from each source address."""
    async with (
        LifespanManager(create_app(settings), startup_timeout=30, shutdown_timeout=30) as manager,
        AsyncExitStack() as stack,
    ):
        yield [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=manager.app, client=(address, 50_000)),
                    base_url="http://gateway.test",
                )
            )
            for address in addresses
        ]


def _tight(platform: Platform, **changes: object) -> GatewaySettings:
    update = {"token_attempts_per_client": 3, "token_attempts_per_address": 5, "token_attempts_window_s": 3600}
    settings: GatewaySettings = platform.settings.model_copy(update={**update, **changes})
    return settings


def _form(client_id: str, secret: str) -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}


def _assert_slowed_down(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(response.headers["retry-after"]) <= 3600
    body = response.json()
    assert body["type"] == "urn:hope:problem:oauth-slow-down"
    assert body["error"] == "slow_down"
    assert "access_token" not in body


async def test_attempts_per_client_id_from_one_address_are_bounded_and_lock_out_no_one_elsewhere(
    platform: Platform,
) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    other = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    async with gateway(_tight(platform), "10.0.0.1", "10.0.0.2") as (first, second):
        guesses = [await first.post("/oauth/token", data=_form(client.client_id, f"guess-{n}")) for n in range(3)]
        assert [response.status_code for response in guesses] == [401, 401, 401]
        _assert_slowed_down(await first.post("/oauth/token", data=_form(client.client_id, "guess-4")))
        # From where the guesses came, the real secret is no way around it...
        _assert_slowed_down(await first.post("/oauth/token", data=_form(client.client_id, client.client_secret)))
        # ...but a stranger who knows a client id (every service sees it as the token's sub) cannot stop the client
        # itself, calling from its own address, from getting its tokens.
        own = await second.post("/oauth/token", data=_form(client.client_id, client.client_secret))
        assert own.status_code == 200, own.text
        assert (await second.post("/oauth/token", data=_form(other.client_id, other.client_secret))).status_code == 200


async def test_attempts_per_source_address_are_bounded_whatever_the_client_id(platform: Platform) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    async with gateway(_tight(platform), "10.0.0.3", "10.0.0.4") as (sprayer, neighbour):
        statuses = [
            (await sprayer.post("/oauth/token", data=_form(f"hope_guess{n}", "secret"))).status_code for n in range(5)
        ]
        assert statuses == [401] * 5
        _assert_slowed_down(await sprayer.post("/oauth/token", data=_form(client.client_id, client.client_secret)))
        _assert_slowed_down(await sprayer.post("/oauth/token", data={"grant_type": "password"}))
        assert (
            await neighbour.post("/oauth/token", data=_form(client.client_id, client.client_secret))
        ).status_code == 200


async def test_attempts_are_counted_across_instances_sharing_redis(platform: Platform) -> None:
    probe = redis.asyncio.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await probe.ping()
    except (redis.RedisError, OSError):
        pytest.skip("no Redis at " + REDIS_URL)
    finally:
        await probe.aclose()
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    # Counters outlive this run in Redis: an address of its own keeps reruns independent.
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    settings = _tight(platform, redis_url=REDIS_URL)
    async with gateway(settings, address) as (first,), gateway(settings, address) as (second,):
        statuses = [
            (await instance.post("/oauth/token", data=_form(client.client_id, "guess"))).status_code
            for instance in (first, second, first)
        ]
        assert statuses == [401, 401, 401]
        _assert_slowed_down(await second.post("/oauth/token", data=_form(client.client_id, client.client_secret)))


async def test_good_credentials_within_the_bounds_get_their_token(platform: Platform) -> None:
    client = await platform.client(OrgKind.EMPLOYER, Role.WRITER)
    async with gateway(_tight(platform), "10.0.0.5") as (caller,):
        for _ in range(3):
            response = await caller.post("/oauth/token", data=_form(client.client_id, client.client_secret))
            assert response.status_code == 200, response.text
        _assert_slowed_down(await caller.post("/oauth/token", data=_form(client.client_id, client.client_secret)))
