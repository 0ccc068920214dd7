"""The client to the services: connections reused and bounded, broken ones replaced, no cookies carried over."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from gateway_service.routing.upstreams import UpstreamTransport, make_upstream_client
from gateway_service.settings import GatewaySettings


@dataclass
class Service:
    """A bare HTTP/1.1 server: counts connections, remembers request heads, answers by path."""

    url: str = ""
    connections: int = 0
    heads: list[bytes] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                path = head.split(b" ")[1]
                if path == b"/slow":
                    await asyncio.sleep(1)
                extra = b"set-cookie: session=secret\r\n" if path == b"/cookie" else b""
                closing = path == b"/close"
                if closing:
                    extra += b"connection: close\r\n"
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n" + extra + b"\r\nok")
                await writer.drain()
                # "/idle-close" answers as if keeping the connection, then drops it, as a server does when its
                # keep-alive timeout ends while the connection waits in the gateway's pool.
                if closing or path == b"/idle-close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def service() -> AsyncIterator[Service]:
    found = Service()
    server = await asyncio.start_server(found.handle, "127.0.0.1", 0)
    found.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    try:
        yield found
    finally:
        server.close()


def _client(max_connections: int = 10, pool_timeout: float = 2.0) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    return httpx.AsyncClient(transport=UpstreamTransport(limits), timeout=httpx.Timeout(5.0, pool=pool_timeout))


async def test_one_connection_serves_requests_one_after_another(service: Service) -> None:
    async with _client() as client:
        for _ in range(20):
            assert (await client.get(f"{service.url}/a")).text == "ok"
    assert service.connections == 1


async def test_concurrent_requests_share_a_bounded_number_of_connections(service: Service) -> None:
    async with _client(max_connections=3) as client:
        answers = await asyncio.gather(*(client.get(f"{service.url}/a") for _ in range(30)))
    assert all(answer.text == "ok" for answer in answers)
    assert service.connections <= 3


async def test_a_full_pool_answers_pool_timeout(service: Service) -> None:
    async with _client(max_connections=1, pool_timeout=0.2) as client:
        slow = asyncio.create_task(client.get(f"{service.url}/slow"))
        await asyncio.sleep(0.1)
        with pytest.raises(httpx.PoolTimeout):
            await client.get(f"{service.url}/a")
        assert (await slow).text == "ok"
        # The connection came back to the pool.
        assert (await client.get(f"{service.url}/a")).text == "ok"
    assert service.connections == 1


async def test_a_connection_the_service_closed_is_not_reused(service: Service) -> None:
    async with _client() as client:
        assert (await client.get(f"{service.url}/close")).text == "ok"
        assert (await client.get(f"{service.url}/a")).text == "ok"
    assert service.connections == 2


async def test_a_pooled_connection_the_service_dropped_silently_is_replaced(service: Service) -> None:
    async with _client() as client:
        assert (await client.get(f"{service.url}/idle-close")).text == "ok"
        await asyncio.sleep(0.05)  # the close reaches the gateway's end of the idle connection
        assert (await client.get(f"{service.url}/a")).text == "ok"
    assert service.connections == 2


async def test_an_unread_answer_closed_early_does_not_leak_its_connection(service: Service) -> None:
    async with _client(max_connections=1, pool_timeout=0.5) as client:
        for _ in range(3):
            async with client.stream("GET", f"{service.url}/a"):
                pass
        assert (await client.get(f"{service.url}/a")).text == "ok"


async def test_a_service_that_is_down_is_a_connect_error() -> None:
    async with _client() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("http://127.0.0.1:9/a")


async def test_cookies_set_by_one_answer_are_never_sent_again(service: Service) -> None:
    client = make_upstream_client(GatewaySettings(environment="test"))
    async with client:
        await client.get(f"{service.url}/cookie")
        await client.get(f"{service.url}/a")
    assert b"cookie" not in service.heads[-1].lower()
