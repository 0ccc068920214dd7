"""The gateway's HTTP/1.1 client to the services: keep-alive connections, bounded, answers parsed by httptools.

Why not a general-purpose client: on a 2-core machine at a fixed 58 requests/s, a minimal relay in the gateway's
place added 1.06-1.10 ms with aiohttp's client and 0.55-0.60 ms with plain asyncio streams; aiosonic and
blacksheep's clients measured 1.07-1.41 ms. Proxying is what the gateway is for, and a general client's per-call
work (cookie jars, redirects, tracing hooks, URL handling, timeout objects) was more than half of what it added.
What is kept: an asyncio protocol per connection, llhttp (through httptools, as uvicorn parses requests) for the
answers, a pool per service with its own bound (one service that hangs cannot take the connections another one
needs), keep-alive expiry, one retry of a request without a body on a reused
connection the service had closed, read timeouts between reads, flow control both ways.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Self, cast
from urllib.parse import urlsplit

import httptools

Headers = Sequence[tuple[bytes, bytes]]

# Below uvicorn's 5 s keep-alive timeout, so the service never closes a connection just as it is reused.
KEEPALIVE_EXPIRY_S = 4.0
# A streamed answer read this far ahead of the caller stops the service's socket until the caller catches up.
_READ_AHEAD = 256 * 1024


class _SecondAnswer(Exception):
    """Raised from the parser's callbacks: bytes follow a complete answer, which no request asked for."""


class UpstreamError(Exception):
    """A call to a service failed; the subclass says how the caller is told."""


class UpstreamUnavailable(UpstreamError):
    """No connection: refused, unreachable, not made in time, or none free in the pool in time (503)."""


class UpstreamTimeout(UpstreamError):
    """The service stopped sending for longer than the read timeout (504)."""


class UpstreamBroken(UpstreamError):
    """The service's answer is not valid HTTP, or the connection ended before the answer did (502)."""


@dataclass(frozen=True)
class Origin:
    """Where a service is: ``http://host[:port][/prefix]``, the prefix put before every path asked."""

    host: str
    port: int
    host_header: bytes
    prefix: bytes

    @classmethod
    def parse(cls, base: str) -> Origin:
        parts = urlsplit(base)
        if parts.scheme != "http" or not parts.hostname or parts.query or parts.fragment or parts.username:
            raise ValueError(f"a service's address is http://host[:port][/path], not {base!r}")
        shown = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        host = shown if parts.port is None else f"{shown}:{parts.port}"
        prefix = parts.path.rstrip("/").encode("ascii")
        return cls(parts.hostname, parts.port or 80, host.encode("ascii"), prefix)


class _Connection(asyncio.Protocol):
    """One connection to a service, carrying one exchange at a time."""

    def __init__(self, client: ServiceClient, key: Origin) -> None:
        self._client = client
        self.key = key
        self.transport: asyncio.Transport | None = None
        self.idle_since = 0.0
        self.closed = False
        # Counted among the client's open connections until discarded (once).
        self.counted = True
        self._parser: httptools.HttpResponseParser | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None
        self._failure: UpstreamError | None = None
        self._head_only = False
        self._until_close = False
        self._interim = False
        self.received = False
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.content_length: int | None = None
        self.head_done = False
        self.complete = False
        self.reusable = False
        self.chunks: collections.deque[bytes] = collections.deque()
        self._buffered = 0
        self._reading_paused = False

    # -- asyncio protocol ------------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports have the interface without deriving from asyncio's classes.
        self.transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._parser is not None and not self.complete:
            if self._until_close and self.head_done and exc is None:
                # An answer without a length ends when the service closes the connection.
                self.complete = True
            elif self._failure is None:
                self._failure = UpstreamBroken("the service closed the connection before its answer was complete")
        self._wake()
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._client._forget(self)

    def data_received(self, data: bytes) -> None:
        if self._parser is None or self.complete:
            # Nothing was asked: a service must not send unprompted; the connection cannot be trusted any more.
            self.abort()
            return
        self.received = True
        try:
            self._parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as error:
            if not isinstance(error.__context__, _SecondAnswer):
                # An upgrade included: the gateway passes no Upgrade header on, so none was asked for.
                self._failure = UpstreamBroken(f"invalid answer: {error!r}")
            # Bytes after a complete answer: the answer stands, but what follows it is never read as another
            # one (it would be a smuggled answer to the next caller), and the connection is not used again.
            self.reusable = False
            self.abort()
        self._wake()

    def pause_writing(self) -> None:
        self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)
        self._writable = None

    # -- httptools callbacks -----------------------------------------------------------------------------------
    def on_message_begin(self) -> None:
        if self.head_done:
            raise _SecondAnswer

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        status = self._parser.get_status_code()
        if 100 <= status < 200:
            # An interim answer (103 Early Hints, a stray 100 Continue): the real one follows.
            self._interim = True
            self.headers = []
            return
        self.status = status
        self.head_done = True
        chunked = False
        for name, value in self.headers:
            lowered = name.lower()
            if lowered == b"content-length":
                # llhttp has refused a malformed or conflicting length already.
                self.content_length = int(value)
            elif lowered == b"transfer-encoding":
                chunked = True
        framed = chunked or self.content_length is not None or status in (204, 304)
        self._until_close = not self._head_only and not framed
        if self._head_only:
            self._finish()

    def on_body(self, body: bytes) -> None:
        if self.complete:
            # A body after an answer to HEAD, which has none.
            raise _SecondAnswer
        if body:
            self.chunks.append(body)
            self._buffered += len(body)
            if self._buffered > _READ_AHEAD and not self._reading_paused and self.transport is not None:
                self.transport.pause_reading()
                self._reading_paused = True

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        if not self.complete:
            self._finish()

    # -- one exchange ------------------------------------------------------------------------------------------
    def _finish(self) -> None:
        assert self._parser is not None
        self.complete = True
        self.reusable = self._parser.should_keep_alive() and not self._until_close

    def start(self, head_only: bool) -> None:
        """Ready for the answer to a request about to be sent."""
        self._parser = httptools.HttpResponseParser(self)
        self._head_only = head_only
        self._until_close = self._interim = self.received = self.head_done = self.complete = False
        self.reusable = False
        self._failure = None
        self.status, self.headers, self.content_length = 0, [], None
        self.chunks.clear()
        self._buffered = 0

    def write(self, data: bytes) -> None:
        if self.closed or self.transport is None:
            raise UpstreamBroken("the connection to the service is closed")
        self.transport.write(data)

    async def drain(self, timeout_s: float) -> None:
        if self._writable is not None:
            try:
                async with asyncio.timeout(timeout_s):
                    await self._writable
            except TimeoutError:
                raise UpstreamTimeout("the service stopped reading the request") from None
        if self.closed:
            raise self._failure or UpstreamBroken("the connection to the service is closed")

    async def wait(self, timeout_s: float) -> None:
        """Until more of the answer (or its end, or a failure) has arrived; UpstreamTimeout after ``timeout_s``."""
        if self._failure is not None:
            raise self._failure
        loop = asyncio.get_running_loop()
        waiter = self._waiter = loop.create_future()
        timer = loop.call_later(timeout_s, self._time_out, waiter)
        try:
            await waiter
        finally:
            timer.cancel()
            self._waiter = None
        if self._failure is not None:
            raise self._failure

    def take(self) -> bytes:
        """What has arrived of the body since the last take."""
        data = b"".join(self.chunks) if len(self.chunks) != 1 else self.chunks[0]
        self.chunks.clear()
        self._buffered = 0
        if self._reading_paused and self.transport is not None and not self.closed:
            self.transport.resume_reading()
            self._reading_paused = False
        return data

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def _time_out(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            self._failure = UpstreamTimeout("the service did not answer in time")
            waiter.set_result(None)

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class ServiceAnswer:
    """A service's answer, its head read; the body is read whole or streamed. Closing it gives the connection
    back to the pool when the answer was read to its end, and drops it otherwise."""

    def __init__(self, client: ServiceClient, connection: _Connection) -> None:
        self._client = client
        self._connection: _Connection | None = connection
        self.origin = connection.key
        self.status = connection.status
        self.headers: list[tuple[bytes, bytes]] = connection.headers
        self.content_length = connection.content_length

    async def chunks(self) -> AsyncIterator[bytes]:
        connection = self._connection
        if connection is None:
            return
        while True:
            data = connection.take()
            if data:
                yield data
                # More may have come (and reading may have paused) while the reader had this piece.
                continue
            if connection.complete:
                self.close()
                return
            await connection.wait(self._client.read_timeout_s)

    async def read(self) -> bytes:
        connection = self._connection
        if connection is not None and connection.complete:
            # Most answers arrive whole with their head.
            whole = connection.take()
            self.close()
            return whole
        return b"".join([chunk async for chunk in self.chunks()])

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            self._client._release(connection)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        self.close()


class ServiceClient:
    """Pooled keep-alive connections to the services, at most ``max_connections`` open to each service: a
    bulkhead, so that callers piling up on a service that hangs take no connection, and no place in a queue, that a
    call to another service needs. Waiting for a connection (a free one in the pool, or a new one made) is bounded
    by ``connect_timeout_s``, each wait for more of an answer by ``read_timeout_s``. Only plain http: the services
    sit on the platform's own network."""

    def __init__(
        self,
        *,
        max_connections: int,
        connect_timeout_s: float,
        read_timeout_s: float,
        keepalive_s: float = KEEPALIVE_EXPIRY_S,
    ) -> None:
        self.max_connections = max_connections
        self.connect_timeout_s = connect_timeout_s
        self.read_timeout_s = read_timeout_s
        self.keepalive_s = keepalive_s
        self._idle: dict[Origin, list[_Connection]] = {}
        self._origins: dict[str, Origin] = {}
        # Per service: connections open (idle or busy), and the callers waiting for one of them.
        self._open: collections.Counter[Origin] = collections.Counter()
        self._slot_waiters: dict[Origin, collections.deque[asyncio.Future[None]]] = {}
        self._closed = False

    @property
    def open_connections(self) -> int:
        return self._open.total()

    def origin(self, base: str) -> Origin:
        """``base`` parsed once (ValueError for anything but http://host[:port][/path])."""
        found = self._origins.get(base)
        if found is None:
            found = self._origins[base] = Origin.parse(base)
        return found

    async def request(
        self,
        method: str,
        base: str,
        target: bytes,
        headers: Headers = (),
        body: AsyncIterable[bytes] | None = None,
    ) -> ServiceAnswer:
        """Sends ``method`` for ``target`` (path and query, as they go on the wire) to the service at ``base``,
        and returns once the answer's head has arrived. ``headers`` go as they are, after Host; a ``body`` without
        a Content-Length among them is sent chunked."""
        origin = self.origin(base)
        sized = any(name.lower() == b"content-length" for name, _ in headers)
        lines = [method.encode("ascii"), b" ", origin.prefix, target, b" HTTP/1.1\r\nhost: ", origin.host_header]
        lines.append(b"\r\n")
        for name, value in headers:
            lines += [name, b": ", value, b"\r\n"]
        if body is not None and not sized:
            lines.append(b"transfer-encoding: chunked\r\n")
        lines.append(b"\r\n")
        head = b"".join(lines)
        while True:
            connection, reused = await self._acquire(origin)
            try:
                await self._exchange(connection, head, method == "HEAD", body, chunked=not sized)
            except UpstreamBroken:
                self._discard(connection)
                # A kept-alive connection the service closed meanwhile, before any answer: send once more on a
                # new connection, when there is no body that would have to be read from the caller again.
                if reused and body is None and not connection.received:
                    continue
                raise
            except BaseException:
                self._discard(connection)
                raise
            return ServiceAnswer(self, connection)

    async def get(self, url: str, headers: Headers = ()) -> tuple[int, bytes]:
        """A whole GET answer: its status and body."""
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        answer = await self.request("GET", f"{parts.scheme}://{parts.netloc}", target.encode("ascii"), headers)
        async with answer:
            return answer.status, await answer.read()

    async def close(self) -> None:
        self._closed = True
        for connections in list(self._idle.values()):
            for connection in list(connections):
                connection.abort()
        self._idle.clear()
        for waiters in self._slot_waiters.values():
            while waiters:
                waiter = waiters.popleft()
                if not waiter.done():
                    waiter.set_exception(UpstreamUnavailable("the gateway is stopping"))

    # -- exchange --------------------------------------------------------------------------------------------
    async def _exchange(
        self, connection: _Connection, head: bytes, head_only: bool, body: AsyncIterable[bytes] | None, chunked: bool
    ) -> None:
        connection.start(head_only)
        connection.write(head)
        if body is not None:
            async for chunk in body:
                if chunk:
                    connection.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
                    await connection.drain(self.read_timeout_s)
            if chunked:
                connection.write(b"0\r\n\r\n")
        while not connection.head_done:
            await connection.wait(self.read_timeout_s)

    # -- pool ------------------------------------------------------------------------------------------------
    async def _acquire(self, key: Origin) -> tuple[_Connection, bool]:
        """A connection to ``key``, and whether it was kept alive from an earlier request."""
        if self._closed:
            raise UpstreamUnavailable("the gateway is stopping")
        connection = self._kept_alive(key)
        if connection is not None:
            return connection, True
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                while self._open[key] >= self.max_connections:
                    await self._released(key)
                    connection = self._kept_alive(key)
                    if connection is not None:
                        return connection, True
                self._open[key] += 1
                try:
                    connection = await self._connect(key)
                except BaseException:
                    self._open[key] -= 1
                    self._wake_slot_waiter(key)
                    raise
        except TimeoutError:
            raise UpstreamUnavailable("no connection to the service could be had in time") from None
        return connection, False

    def _kept_alive(self, key: Origin) -> _Connection | None:
        idle = self._idle.get(key)
        if idle:
            now = asyncio.get_running_loop().time()
            while idle:
                connection = idle.pop()
                if not connection.closed and now - connection.idle_since < self.keepalive_s:
                    return connection
                self._discard(connection)
        return None

    async def _released(self, key: Origin) -> None:
        """Until a connection to ``key`` is given back or closed."""
        waiter = asyncio.get_running_loop().create_future()
        waiters = self._slot_waiters.setdefault(key, collections.deque())
        waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                # Woken just as this caller gave up: the freed place goes to the next one waiting.
                self._wake_slot_waiter(key)
            raise
        finally:
            if waiter in waiters:
                waiters.remove(waiter)

    async def _connect(self, key: Origin) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, connection = await loop.create_connection(lambda: _Connection(self, key), key.host, key.port)
        except OSError as error:
            raise UpstreamUnavailable(f"cannot connect to {key.host}:{key.port}: {error.strerror or error}") from error
        return connection

    def _release(self, connection: _Connection) -> None:
        if connection.complete and connection.reusable and not connection.closed and not self._closed:
            connection.idle_since = asyncio.get_running_loop().time()
            self._idle.setdefault(connection.key, []).append(connection)
            self._wake_slot_waiter(connection.key)
        else:
            self._discard(connection)

    def _discard(self, connection: _Connection) -> None:
        self._unidle(connection)
        if connection.counted:
            connection.counted = False
            self._open[connection.key] -= 1
            self._wake_slot_waiter(connection.key)
        if not connection.closed:
            connection.abort()

    def _forget(self, connection: _Connection) -> None:
        """The connection closed by itself (the service's keep-alive timeout): it leaves the pool."""
        if connection in self._idle.get(connection.key, ()):
            self._discard(connection)

    def _unidle(self, connection: _Connection) -> None:
        idle = self._idle.get(connection.key)
        if idle and connection in idle:
            idle.remove(connection)

    def _wake_slot_waiter(self, key: Origin) -> None:
        waiters = self._slot_waiters.get(key)
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
