"""The client to the services: connections reused and bounded, broken ones replaced, no cookies carried over."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest

from gateway_service.routing.upstreams import make_upstream_session, upstream_problem
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


def _session(max_connections: int = 10, connect_timeout_s: float = 2.0) -> aiohttp.ClientSession:
    settings = GatewaySettings(
        environment="test", upstream_max_connections=max_connections, upstream_connect_timeout_s=connect_timeout_s
    )
    return make_upstream_session(settings)


async def _text(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as answer:
        return await answer.text()


async def test_one_connection_serves_requests_one_after_another(service: Service) -> None:
    async with _session() as session:
        for _ in range(20):
            assert await _text(session, f"{service.url}/a") == "ok"
    assert service.connections == 1


async def test_concurrent_requests_share_a_bounded_number_of_connections(service: Service) -> None:
    async with _session(max_connections=3) as session:
        answers = await asyncio.gather(*(_text(session, f"{service.url}/a") for _ in range(30)))
    assert answers == ["ok"] * 30
    assert service.connections <= 3


async def test_a_full_pool_is_the_service_unavailable(service: Service) -> None:
    async with _session(max_connections=1, connect_timeout_s=0.2) as session:
        slow = asyncio.create_task(_text(session, f"{service.url}/slow"))
        await asyncio.sleep(0.1)
        with pytest.raises(aiohttp.ClientError) as refused:
            await _text(session, f"{service.url}/a")
        assert upstream_problem("stub", refused.value).status == 503
        assert await slow == "ok"
        # The connection came back to the pool.
        assert await _text(session, f"{service.url}/a") == "ok"
    assert service.connections == 1


async def test_a_connection_the_service_closed_is_not_reused(service: Service) -> None:
    async with _session() as session:
        assert await _text(session, f"{service.url}/close") == "ok"
        assert await _text(session, f"{service.url}/a") == "ok"
    assert service.connections == 2


async def test_a_pooled_connection_the_service_dropped_silently_is_replaced(service: Service) -> None:
    async with _session() as session:
        assert await _text(session, f"{service.url}/idle-close") == "ok"
        await asyncio.sleep(0.05)  # the close reaches the gateway's end of the idle connection
        assert await _text(session, f"{service.url}/a") == "ok"
    assert service.connections == 2


async def test_an_unread_answer_closed_early_does_not_leak_its_connection(service: Service) -> None:
    async with _session(max_connections=1, connect_timeout_s=0.5) as session:
        for _ in range(3):
            async with session.get(f"{service.url}/a"):
                pass
        assert await _text(session, f"{service.url}/a") == "ok"


async def test_a_service_that_is_down_is_unavailable() -> None:
    async with _session() as session:
        with pytest.raises(aiohttp.ClientError) as refused:
            await _text(session, "http://127.0.0.1:9/a")
    assert upstream_problem("stub", refused.value).status == 503


async def test_a_slow_answer_is_a_timeout_and_nonsense_a_bad_gateway() -> None:
    assert upstream_problem("stub", aiohttp.SocketTimeoutError()).status == 504
    assert upstream_problem("stub", aiohttp.ServerDisconnectedError()).status == 502
    assert upstream_problem("stub", aiohttp.ClientPayloadError()).status == 502


async def test_cookies_set_by_one_answer_are_never_sent_again(service: Service) -> None:
    async with _session() as session:
        await _text(session, f"{service.url}/cookie")
        await _text(session, f"{service.url}/a")
    assert b"cookie" not in service.heads[-1].lower()


async def test_the_client_adds_no_headers_of_its_own(service: Service) -> None:
    async with _session() as session:
        await _text(session, f"{service.url}/a")
    names = {line.split(b":")[0].lower() for line in service.heads[-1].split(b"\r\n")[1:] if line}
    assert names == {b"host"}
