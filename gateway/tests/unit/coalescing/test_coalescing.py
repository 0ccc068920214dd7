"""An answer's head and body leave in one write; nothing is held past the loop's current pass."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.types import Receive, Scope, Send
from uvicorn.server import ServerState

from gateway_service.routing.coalescing import CoalescingHttpProtocol, CoalescingTransport


class _Recording(asyncio.Transport):
    """A transport that records what is sent through it."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, Any]] = []
        self.closing = False

    def write(self, data: Any) -> None:
        self.sent.append(("write", bytes(data)))

    def writelines(self, list_of_data: Any) -> None:
        self.sent.append(("writelines", [bytes(data) for data in list_of_data]))

    def close(self) -> None:
        self.sent.append(("close", None))
        self.closing = True

    def abort(self) -> None:
        self.sent.append(("abort", None))
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing

    def get_write_buffer_size(self) -> int:
        return 0


def _wrapped() -> tuple[CoalescingTransport, _Recording]:
    inner = _Recording()
    return CoalescingTransport(inner, asyncio.get_running_loop()), inner


async def _next_pass() -> None:
    await asyncio.sleep(0)
    await asyncio.sleep(0)


async def test_two_writes_in_one_pass_leave_together() -> None:
    transport, inner = _wrapped()
    transport.write(b"head")
    transport.write(b"body")
    await _next_pass()
    assert inner.sent == [("writelines", [b"head", b"body"])]


async def test_a_lone_write_leaves_at_the_end_of_the_pass() -> None:
    transport, inner = _wrapped()
    transport.write(b"head")
    assert inner.sent == []
    assert transport.get_write_buffer_size() == 4
    await _next_pass()
    assert inner.sent == [("write", b"head")]


async def test_an_empty_write_sends_what_is_held_at_once() -> None:
    transport, inner = _wrapped()
    transport.write(b"head")
    transport.write(b"")
    assert inner.sent == [("write", b"head")]
    await _next_pass()
    assert inner.sent == [("write", b"head")]


async def test_closing_sends_what_is_held_first_and_aborting_drops_it() -> None:
    transport, inner = _wrapped()
    transport.write(b"last")
    transport.close()
    assert inner.sent == [("write", b"last"), ("close", None)]
    transport, inner = _wrapped()
    transport.write(b"lost")
    transport.abort()
    await _next_pass()
    assert inner.sent == [("abort", None)]


async def test_nothing_is_written_to_a_transport_already_closing() -> None:
    transport, inner = _wrapped()
    transport.write(b"late")
    inner.closing = True
    await _next_pass()
    assert inner.sent == []


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/stream":

        async def pieces() -> AsyncIterator[bytes]:
            for piece in (b"one ", b"two ", b"three"):
                await asyncio.sleep(0.01)
                yield piece

        await StreamingResponse(pieces())(scope, receive, send)
        return
    await PlainTextResponse("small answer")(scope, receive, send)


@pytest.fixture
async def server() -> AsyncIterator[int]:
    config = uvicorn.Config(_app, host="127.0.0.1", port=0, http=CoalescingHttpProtocol, log_level="warning")
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve())
    while not served.started:
        await asyncio.sleep(0.01)
    yield served.servers[0].sockets[0].getsockname()[1]
    served.should_exit = True
    await task


async def test_uvicorns_protocol_writes_the_head_with_the_body() -> None:
    config = uvicorn.Config(_app, http=CoalescingHttpProtocol, log_level="warning")
    config.load()
    protocol = CoalescingHttpProtocol(config=config, server_state=ServerState(), app_state={})
    inner = _Recording()
    protocol.connection_made(inner)
    protocol.data_received(b"GET /small HTTP/1.1\r\nhost: test\r\n\r\n")
    for _ in range(100):
        if inner.sent:
            break
        await asyncio.sleep(0.01)
    kind, pieces = inner.sent[0]
    assert kind == "writelines"
    assert pieces[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert pieces[0].endswith(b"\r\n\r\n")
    assert pieces[1] == b"small answer"
    protocol.connection_lost(None)


async def test_uvicorn_keeps_the_connection_for_the_next_request(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    try:
        for _ in range(3):
            writer.write(b"GET /small HTTP/1.1\r\nhost: test\r\n\r\n")
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            assert head.startswith(b"HTTP/1.1 200 OK\r\n")
            assert await asyncio.wait_for(reader.readexactly(len(b"small answer")), 5) == b"small answer"
    finally:
        writer.close()


async def test_uvicorn_streams_an_answer_piece_by_piece(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    try:
        writer.write(b"GET /stream HTTP/1.1\r\nhost: test\r\n\r\n")
        received = b""
        while not received.endswith(b"0\r\n\r\n"):
            piece = await asyncio.wait_for(reader.read(65536), 5)
            assert piece, "the connection closed before the end of the answer"
            received += piece
    finally:
        writer.close()
    assert b"transfer-encoding: chunked" in received
    assert received.count(b"one ") == received.count(b"two ") == received.count(b"three") == 1
