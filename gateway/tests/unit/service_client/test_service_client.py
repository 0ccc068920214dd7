"""The client to the services: connections reused and bounded, broken ones replaced, answers parsed whole or in
chunks, every failure told apart (unavailable, too slow, broken), nothing added to or kept from a request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from gateway_service.routing.service_client import (
    Origin,
    ServiceClient,
    UpstreamBroken,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from gateway_service.routing.upstreams import make_service_client, upstream_problem
from gateway_service.settings import GatewaySettings

BIG = 1024 * 1024

# Answers by path, written as they go on the wire (None: the handler does something special).
_ANSWERS = {
    b"/a": b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
    b"/cookie": b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nset-cookie: session=secret\r\n\r\nok",
    b"/close": b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
    b"/chunked": b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n",
    b"/interim": b"HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
    b"/garbage": b"NOT HTTP AT ALL\r\n\r\n",
    b"/short": b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nok",
    b"/until-close": b"HTTP/1.1 200 OK\r\n\r\nall of it",
    # A complete answer with more behind it, in the same write: the second must never be read as an answer.
    b"/204-then-more": b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 8\r\n\r\nsmuggled",
    b"/two-answers": b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"
    b"HTTP/1.1 200 OK\r\ncontent-length: 8\r\n\r\nsmuggled",
    # Answered with its body whatever the method, HEAD included.
    b"/head-with-body": b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
    b"/big": b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % BIG + b"x" * BIG,
}
# After these the service closes the connection.
_CLOSING = {b"/close", b"/short", b"/until-close", b"/garbage", b"/idle-close"}


@dataclass
class Service:
    """A bare HTTP/1.1 server: counts connections, remembers request heads and bodies, answers by path."""

    url: str = ""
    connections: int = 0
    heads: list[bytes] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        dropping = False
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.heads.append(head)
                if dropping:
                    # Closed just as the next request came in: the race a pooled connection can lose.
                    break
                method, path = head.split(b" ")[:2]
                lowered = head.lower()
                if b"content-length:" in lowered:
                    length = int(lowered.split(b"content-length:")[1].split(b"\r\n")[0])
                    self.bodies.append(await reader.readexactly(length))
                elif b"transfer-encoding: chunked" in lowered:
                    self.bodies.append(await reader.readuntil(b"0\r\n\r\n"))
                if path == b"/slow":
                    await asyncio.sleep(1)
                answer = _ANSWERS.get(path, _ANSWERS[b"/a"])
                if method == b"HEAD" and path != b"/head-with-body":
                    answer = answer.split(b"\r\n\r\n")[0] + b"\r\n\r\n"
                writer.write(answer)
                await writer.drain()
                # "/idle-close" answers as if keeping the connection, then drops it, as a server does when its
                # keep-alive timeout ends while the connection waits in the gateway's pool.
                if path in _CLOSING:
                    break
                dropping = path == b"/then-drop"
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


@pytest.fixture
async def client() -> AsyncIterator[ServiceClient]:
    made = make_service_client(GatewaySettings(environment="test"))
    try:
        yield made
    finally:
        await made.close()


def _client(max_connections: int = 10, connect_timeout_s: float = 2.0, **options: float) -> ServiceClient:
    return ServiceClient(
        max_connections=max_connections,
        connect_timeout_s=connect_timeout_s,
        read_timeout_s=options.pop("read_timeout_s", 5.0),
        **options,
    )


async def _text(client: ServiceClient, url: str) -> str:
    status, body = await client.get(url)
    assert status == 200
    return body.decode()


async def test_one_connection_serves_requests_one_after_another(service: Service, client: ServiceClient) -> None:
    for _ in range(20):
        assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 1
    assert client.open_connections == 1


async def test_concurrent_requests_share_a_bounded_number_of_connections(service: Service) -> None:
    # 30 requests queue for 3 connections: the wait for a free one is a guard here, not what is tested (2 s was
    # not enough on a machine at load 12, in CI's make test).
    client = _client(max_connections=3, connect_timeout_s=60.0)
    answers = await asyncio.gather(*(_text(client, f"{service.url}/a") for _ in range(30)))
    await client.close()
    assert answers == ["ok"] * 30
    assert service.connections <= 3


async def test_a_full_pool_is_the_service_unavailable_until_a_connection_comes_back(service: Service) -> None:
    client = _client(max_connections=1, connect_timeout_s=0.2)
    slow = asyncio.create_task(_text(client, f"{service.url}/slow"))
    await asyncio.sleep(0.1)
    with pytest.raises(UpstreamUnavailable) as refused:
        await _text(client, f"{service.url}/a")
    assert upstream_problem("stub", refused.value).status == 503
    assert await slow == "ok"
    # The connection came back to the pool.
    assert await _text(client, f"{service.url}/a") == "ok"
    await client.close()
    assert service.connections == 1


async def test_a_request_waiting_for_a_full_pool_gets_the_connection_given_back(service: Service) -> None:
    client = _client(max_connections=1, connect_timeout_s=3.0)
    answers = await asyncio.gather(_text(client, f"{service.url}/slow"), _text(client, f"{service.url}/a"))
    await client.close()
    assert answers == ["ok", "ok"]
    assert service.connections == 1


async def test_a_service_that_hangs_does_not_make_calls_to_another_one_wait(service: Service) -> None:
    healthy = Service()
    server = await asyncio.start_server(healthy.handle, "127.0.0.1", 0)
    healthy.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    client = _client(max_connections=2, connect_timeout_s=0.5)
    try:
        # The slow service's every connection busy, and more callers queued for it...
        stuck = [asyncio.create_task(_text(client, f"{service.url}/slow")) for _ in range(6)]
        await asyncio.sleep(0.05)
        # ...while the healthy one answers on connections of its own: before the slow service has given back
        # either of its (each held a second), not after (a stopwatch here failed on a loaded machine).
        assert await asyncio.gather(*(_text(client, f"{healthy.url}/a") for _ in range(4))) == ["ok"] * 4
        assert sum(not task.done() for task in stuck) >= 2
        outcomes = await asyncio.gather(*stuck, return_exceptions=True)
        assert outcomes.count("ok") == 2
        assert all(isinstance(outcome, UpstreamUnavailable) for outcome in outcomes if outcome != "ok")
    finally:
        await client.close()
        server.close()


async def test_an_idle_connection_to_one_service_does_not_count_against_another(service: Service) -> None:
    other = Service()
    server = await asyncio.start_server(other.handle, "127.0.0.1", 0)
    other.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    client = _client(max_connections=1, connect_timeout_s=0.5)
    try:
        assert await _text(client, f"{service.url}/a") == "ok"
        assert await _text(client, f"{other.url}/a") == "ok"
        assert await _text(client, f"{service.url}/a") == "ok"
        # One kept alive to each: neither was given up for the other.
        assert client.open_connections == 2
        assert service.connections == other.connections == 1
    finally:
        await client.close()
        server.close()


@pytest.mark.parametrize(("path", "status", "body"), [("/204-then-more", 204, b""), ("/two-answers", 200, b"ok")])
async def test_bytes_after_a_complete_answer_are_never_read_as_an_answer(
    service: Service, client: ServiceClient, path: str, status: int, body: bytes
) -> None:
    async with await client.request("GET", service.url, path.encode()) as answer:
        assert answer.status == status
        assert [name.lower() for name, _ in answer.headers].count(b"content-length") <= 1
        assert await answer.read() == body
    # The connection that carried them is closed, not used again for the next caller.
    assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 2


async def test_a_body_after_an_answer_to_head_closes_the_connection(service: Service, client: ServiceClient) -> None:
    async with await client.request("HEAD", service.url, b"/head-with-body") as answer:
        assert answer.status == 200
        assert await answer.read() == b""
    assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 2


async def test_a_connection_the_service_closed_is_not_reused(service: Service, client: ServiceClient) -> None:
    assert await _text(client, f"{service.url}/close") == "ok"
    assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 2


async def test_a_pooled_connection_the_service_dropped_is_replaced(service: Service, client: ServiceClient) -> None:
    assert await _text(client, f"{service.url}/idle-close") == "ok"
    await asyncio.sleep(0.05)  # the close reaches the gateway's end of the idle connection
    assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 2


async def test_a_request_on_a_connection_closed_as_it_arrived_is_sent_again(service: Service) -> None:
    client = _client()
    assert await _text(client, f"{service.url}/then-drop") == "ok"
    assert await _text(client, f"{service.url}/a") == "ok"
    await client.close()
    assert service.connections == 2
    assert [head.split(b" ")[1] for head in service.heads] == [b"/then-drop", b"/a", b"/a"]


async def test_a_request_with_a_body_is_not_sent_again(service: Service, client: ServiceClient) -> None:
    assert await _text(client, f"{service.url}/then-drop") == "ok"
    with pytest.raises(UpstreamBroken):
        await client.request("POST", service.url, b"/a", [(b"content-length", b"2")], _pieces(b"ab"))
    assert service.connections == 1


async def test_an_idle_connection_expires(service: Service) -> None:
    client = _client(keepalive_s=0.05)
    assert await _text(client, f"{service.url}/a") == "ok"
    await asyncio.sleep(0.1)
    assert await _text(client, f"{service.url}/a") == "ok"
    await client.close()
    assert service.connections == 2


async def test_an_answer_closed_unread_does_not_leak_its_connection(service: Service) -> None:
    client = _client(max_connections=1, connect_timeout_s=0.5)
    for _ in range(3):
        async with await client.request("GET", service.url, b"/big"):
            pass
    assert await _text(client, f"{service.url}/a") == "ok"
    await client.close()


async def test_a_service_that_is_down_is_unavailable(client: ServiceClient) -> None:
    with pytest.raises(UpstreamUnavailable) as refused:
        await _text(client, "http://127.0.0.1:9/a")
    assert upstream_problem("stub", refused.value).status == 503
    assert client.open_connections == 0


async def test_a_slow_answer_is_a_timeout(service: Service) -> None:
    client = _client(read_timeout_s=0.2)
    with pytest.raises(UpstreamTimeout) as slow:
        await _text(client, f"{service.url}/slow")
    await client.close()
    assert upstream_problem("stub", slow.value).status == 504


@pytest.mark.parametrize("path", ["/garbage", "/short"])
async def test_nonsense_or_an_answer_cut_short_is_a_bad_gateway(
    service: Service, client: ServiceClient, path: str
) -> None:
    with pytest.raises(UpstreamBroken) as broken:
        await _text(client, f"{service.url}{path}")
    assert upstream_problem("stub", broken.value).status == 502
    assert client.open_connections == 0


async def test_a_chunked_answer_is_read_whole_or_in_pieces(service: Service, client: ServiceClient) -> None:
    assert await _text(client, f"{service.url}/chunked") == "hello"
    async with await client.request("GET", service.url, b"/chunked") as answer:
        pieces = [piece async for piece in answer.chunks()]
    assert b"".join(pieces) == b"hello"
    assert answer.content_length is None
    assert service.connections == 1


async def test_a_large_answer_streams_through_whole(service: Service, client: ServiceClient) -> None:
    async with await client.request("GET", service.url, b"/big") as answer:
        assert answer.content_length == BIG
        received = 0
        async for piece in answer.chunks():
            received += len(piece)
            await asyncio.sleep(0)  # a slow reader: the client stops reading ahead, then goes on
    assert received == BIG
    assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 1


async def test_an_answer_without_a_length_ends_when_the_service_closes(service: Service, client: ServiceClient) -> None:
    assert await _text(client, f"{service.url}/until-close") == "all of it"
    assert client.open_connections == 0


async def test_interim_answers_are_skipped(service: Service, client: ServiceClient) -> None:
    assert await _text(client, f"{service.url}/interim") == "ok"
    assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 1


async def test_an_answer_to_head_has_no_body_and_keeps_the_connection(service: Service, client: ServiceClient) -> None:
    async with await client.request("HEAD", service.url, b"/a") as answer:
        assert answer.status == 200
        assert answer.content_length == 2
        assert await answer.read() == b""
    assert await _text(client, f"{service.url}/a") == "ok"
    assert service.connections == 1


async def _pieces(*pieces: bytes) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


async def test_a_body_of_unknown_length_goes_chunked_and_a_sized_one_as_it_is(
    service: Service, client: ServiceClient
) -> None:
    async with await client.request("POST", service.url, b"/a", [], _pieces(b"ab", b"", b"cde")):
        pass
    async with await client.request("POST", service.url, b"/a", [(b"content-length", b"5")], _pieces(b"ab", b"cde")):
        pass
    assert service.bodies == [b"2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n", b"abcde"]
    assert b"transfer-encoding: chunked" in service.heads[0].lower()
    assert b"transfer-encoding" not in service.heads[1].lower()


async def test_a_failing_body_loses_its_connection_and_raises_as_it_is(service: Service, client: ServiceClient) -> None:
    async def failing() -> AsyncIterator[bytes]:
        yield b"part"
        raise LookupError("the caller's body failed")

    with pytest.raises(LookupError):
        await client.request("POST", service.url, b"/a", [], failing())
    assert client.open_connections == 0


async def test_cookies_set_by_one_answer_are_never_sent_again(service: Service, client: ServiceClient) -> None:
    await _text(client, f"{service.url}/cookie")
    await _text(client, f"{service.url}/a")
    assert b"cookie" not in service.heads[-1].lower()


async def test_the_client_adds_no_headers_of_its_own(service: Service, client: ServiceClient) -> None:
    await client.request("GET", service.url, b"/a?x=1", [(b"x-request-id", b"r1")])
    assert service.heads[-1].startswith(b"GET /a?x=1 HTTP/1.1\r\n")
    names = [line.split(b":")[0].lower() for line in service.heads[-1].split(b"\r\n")[1:] if line]
    assert names == [b"host", b"x-request-id"]


async def test_a_service_address_with_a_path_prefixes_every_request(service: Service, client: ServiceClient) -> None:
    await client.request("GET", f"{service.url}/base/", b"/v1/x")
    assert service.heads[-1].startswith(b"GET /base/v1/x HTTP/1.1\r\nhost: 127.0.0.1:")


@pytest.mark.parametrize(
    "base", ["https://enrolment:8101", "http://user@enrolment", "http://enrolment/?q=1", "enrolment:8101", "http://"]
)
def test_only_plain_http_service_addresses_are_taken(base: str) -> None:
    with pytest.raises(ValueError):
        Origin.parse(base)
    with pytest.raises(ValueError):
        GatewaySettings(environment="test", upstreams={"enrolment": base})


def test_a_service_address_gives_the_host_header() -> None:
    assert Origin.parse("http://enrolment:8101").host_header == b"enrolment:8101"
    assert Origin.parse("http://enrolment").host_header == b"enrolment"
    assert Origin.parse("http://[::1]:8101/x/").host_header == b"[::1]:8101"
    assert Origin.parse("http://[::1]:8101/x/").prefix == b"/x"
