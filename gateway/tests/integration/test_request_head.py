"""What a caller may send before its request is known, on a real uvicorn server of the gateway run as everywhere
else (its HTTP protocol included): heads too large or with too many fields are refused, heads that do not arrive in
time are cut, and connections that try either hold no memory."""

from __future__ import annotations

import asyncio
import contextlib
import resource
import time
from collections.abc import AsyncIterator

import pytest

from gateway_service.main import create_app
from hope_infra.kafka import find_free_port

from .conftest import GATEWAY, Platform, serve

pytestmark = pytest.mark.integration

HEAD_TIMEOUT_S = 0.6
HEAD_MAX_BYTES = 16 * 1024


@pytest.fixture(scope="module")
async def gateway_port(platform: Platform) -> AsyncIterator[int]:
    settings = platform.settings.model_copy(
        update={"head_timeout_s": HEAD_TIMEOUT_S, "head_max_bytes": HEAD_MAX_BYTES, "head_max_fields": 30}
    )
    port = find_free_port()
    async with serve(create_app(settings), port, GATEWAY.http_protocol or "auto"):
        yield port


@contextlib.asynccontextmanager
async def _connection(port: int) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        yield reader, writer
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def _answer(reader: asyncio.StreamReader, within_s: float = 5.0) -> bytes:
    """Everything the server sends until it closes the connection (or b"" if it only reset it)."""
    try:
        return await asyncio.wait_for(reader.read(), within_s)
    except ConnectionError:
        return b""


async def test_a_head_over_the_size_limit_is_refused_with_431(gateway_port: int) -> None:
    async with _connection(gateway_port) as (reader, writer):
        writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\nx-big: " + b"a" * (HEAD_MAX_BYTES + 1024) + b"\r\n\r\n")
        answer = await _answer(reader)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"application/problem+json" in answer


async def test_a_head_with_too_many_fields_is_refused_with_431(gateway_port: int) -> None:
    fields = b"".join(b"x-field-%d: 1\r\n" % n for n in range(31))
    async with _connection(gateway_port) as (reader, writer):
        writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\n" + fields + b"\r\n")
        answer = await _answer(reader)
    assert answer.startswith(b"HTTP/1.1 431 ")


async def test_a_head_within_the_limits_is_answered(gateway_port: int) -> None:
    fields = b"".join(b"x-field-%d: %b\r\n" % (n, b"v" * 200) for n in range(20))
    async with _connection(gateway_port) as (reader, writer):
        writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\nconnection: close\r\n" + fields + b"\r\n")
        answer = await _answer(reader)
    assert answer.startswith(b"HTTP/1.1 200 ")


async def test_a_100_mb_header_is_cut_off_early_and_fast(gateway_port: int) -> None:
    piece = b"a" * 64 * 1024
    sent = 0
    started = time.monotonic()
    async with _connection(gateway_port) as (reader, writer):
        writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\nx-big: ")
        with contextlib.suppress(ConnectionError):
            while sent < 100 * 1024 * 1024:
                writer.write(piece)
                await asyncio.wait_for(writer.drain(), 5)
                sent += len(piece)
        answer = await _answer(reader)
    assert time.monotonic() - started < 5
    # What the kernel's buffers took before the server closed, not 100 MB.
    assert sent < 16 * 1024 * 1024
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431 ")


async def test_a_head_that_never_ends_is_cut_after_the_time_limit(gateway_port: int) -> None:
    async with _connection(gateway_port) as (reader, writer):
        writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\n")
        started = time.monotonic()
        answer = await _answer(reader)
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert HEAD_TIMEOUT_S * 0.8 <= waited < HEAD_TIMEOUT_S + 2


async def test_a_head_sent_a_byte_at_a_time_is_cut_after_the_time_limit(gateway_port: int) -> None:
    started = time.monotonic()
    async with _connection(gateway_port) as (reader, writer):
        answering = asyncio.create_task(_answer(reader, within_s=HEAD_TIMEOUT_S + 5))
        with contextlib.suppress(ConnectionError):
            for byte in b"GET /health/live HTTP/1.1\r\nhost: gw\r\nx-slow: " + b"s" * 1000:
                if answering.done():
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.05)
        answer = await answering
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started < HEAD_TIMEOUT_S + 2


async def test_a_connection_that_sends_nothing_is_closed(gateway_port: int) -> None:
    async with _connection(gateway_port) as (reader, _):
        started = time.monotonic()
        await _answer(reader)
        assert time.monotonic() - started < HEAD_TIMEOUT_S + 2


async def test_a_kept_alive_connection_waiting_between_requests_is_not_cut_by_the_head_limit(
    gateway_port: int,
) -> None:
    async with _connection(gateway_port) as (reader, writer):
        writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\n\r\n")
        first = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert first.startswith(b"HTTP/1.1 200 ")
        length = int(first.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        # Longer than the head limit, shorter than uvicorn's keep-alive timeout.
        await asyncio.sleep(HEAD_TIMEOUT_S * 1.5)
        writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\nconnection: close\r\n\r\n")
        assert (await _answer(reader)).startswith(b"HTTP/1.1 200 ")


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024 / 1024


async def test_many_unfinished_large_heads_hold_no_memory(gateway_port: int) -> None:
    async def unfinished() -> None:
        async with _connection(gateway_port) as (reader, writer):
            writer.write(b"GET /health/live HTTP/1.1\r\nhost: gw\r\nx-big: ")
            with contextlib.suppress(ConnectionError, TimeoutError):
                for _ in range(40):
                    writer.write(b"b" * 128 * 1024)
                    await asyncio.wait_for(writer.drain(), 2)
            await _answer(reader)

    before = _resident_mb()
    # Twenty callers trying 5 MB each: 100 MB if the server kept what they sent.
    await asyncio.wait_for(asyncio.gather(*(unfinished() for _ in range(20))), 30)
    assert _resident_mb() - before < 40
