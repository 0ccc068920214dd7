"""The one HTTP client to the services, and how its failures are told to the caller."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpcore
import httpx
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway_service.routing.headers import downstream_response_headers
from gateway_service.routing.network import AsyncioBackend
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem

# Below uvicorn's 5 s keep-alive timeout, so the service never closes a connection just as it is reused.
KEEPALIVE_EXPIRY_S = 4.0
# An answer with a known length up to this size (one socket read) is passed on in one piece; larger or
# unknown-length answers are streamed.
WHOLE_BODY_MAX = 64 * 1024


def make_upstream_transport(settings: GatewaySettings) -> UpstreamTransport:
    return UpstreamTransport(
        httpx.Limits(
            max_connections=settings.upstream_max_connections,
            max_keepalive_connections=settings.upstream_max_keepalive,
            keepalive_expiry=KEEPALIVE_EXPIRY_S,
        )
    )


def make_upstream_client(settings: GatewaySettings, transport: UpstreamTransport | None = None) -> httpx.AsyncClient:
    """Shared by every request: pooled connections, explicit timeouts, no redirects followed, no env proxies,
    and no cookie jar (a cookie one service sets must never be replayed for another caller). The proxy speaks
    to the same ``transport`` without the client's pipeline (see :meth:`UpstreamTransport.open`)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(
            connect=settings.upstream_connect_timeout_s,
            read=settings.upstream_read_timeout_s,
            write=settings.upstream_read_timeout_s,
            pool=settings.upstream_connect_timeout_s,
        ),
        transport=transport or make_upstream_transport(settings),
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        follow_redirects=False,
        trust_env=False,
    )


async def relay_answer(
    service: str, answer: httpcore.Response, body: _AnswerBody, scope: Scope, receive: Receive, send: Send
) -> None:
    """The service's answer for the caller. A small one of known length (most API answers) is read first and
    sent in one piece, which spares a streaming task per request and turns a truncated answer into a 502;
    anything else is streamed as it arrives."""
    headers = downstream_response_headers(answer.headers)
    lengths = [value for name, value in answer.headers if name.lower() == b"content-length"]
    length = b", ".join(lengths)
    if lengths and length.isdigit() and int(length) <= WHOLE_BODY_MAX:
        try:
            whole = b"".join([chunk async for chunk in body])
        except httpx.HTTPError as error:
            raise upstream_problem(service, error) from error
        finally:
            await body.aclose()
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": whole})
        return
    streamed = StreamingResponse(body, status_code=answer.status)
    streamed.raw_headers = headers
    try:
        await streamed(scope, receive, send)
    finally:
        # Also when the caller leaves half way: the connection goes back to the pool or is closed, never leaked.
        await body.aclose()


_ERRORS: dict[type[Exception], type[httpx.TransportError]] = {
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.ProtocolError: httpx.ProtocolError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.ProxyError: httpx.ProxyError,
}


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as error:
        for kind in type(error).__mro__:
            if kind in _ERRORS:
                raise _ERRORS[kind](str(error)) from error
        raise


_ASYNCIO = AsyncioBackend()


Connection = httpcore.AsyncHTTPConnection


class UpstreamTransport(httpx.AsyncBaseTransport):
    """Keep-alive HTTP/1.1 connections to the services, with constant work per request.

    httpcore's own pool walks every pooled connection twice per request (polling each idle socket, and counting
    the idle connections once per idle connection). With the 100-200 connections a busy gateway keeps, that walk
    took more than half of the gateway's CPU, and it grows with the load: a gateway falling behind opened more
    connections and fell further behind (seconds of latency at 150 requests/s). Here idle connections wait on a
    stack per service and only the one about to be used is checked; httpcore still speaks HTTP on each connection.
    """

    def __init__(self, limits: httpx.Limits) -> None:
        self._max_open = limits.max_connections if limits.max_connections is not None else 2**31
        self._max_idle = (
            limits.max_keepalive_connections if limits.max_keepalive_connections is not None else self._max_open
        )
        self._keepalive_expiry = limits.keepalive_expiry
        self._open: set[Connection] = set()
        # Keyed by (scheme, host, port): httpcore's Origin is not hashable.
        self._idle: dict[tuple[bytes, bytes, int], deque[Connection]] = {}
        self._idle_count = 0
        self._changed: asyncio.Future[None] | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        outgoing = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        answer, body = await self.open(outgoing)
        return httpx.Response(
            status_code=answer.status, headers=answer.headers, stream=body, extensions=answer.extensions
        )

    async def open(self, request: httpcore.Request) -> tuple[httpcore.Response, _AnswerBody]:
        """The service's answer head, and its body: reading it raises httpx's errors, closing it (always, even
        unread) hands the connection back. Failures before the head are httpx's errors too."""
        origin = request.url.origin
        connection = await self._connection(origin, request.extensions.get("timeout", {}).get("pool"))
        try:
            with _as_httpx_errors():
                answer = await connection.handle_async_request(request)
        except BaseException:
            await self._discard(connection)
            raise
        assert isinstance(answer.stream, AsyncIterable)
        return answer, _AnswerBody(self, origin, connection, answer.stream)

    async def aclose(self) -> None:
        self._idle.clear()
        self._idle_count = 0
        for connection in list(self._open):
            await self._discard(connection)

    async def _connection(self, origin: httpcore.Origin, pool_timeout: float | None) -> Connection:
        try:
            async with asyncio.timeout(pool_timeout):
                while True:
                    reused = await self._take_idle(origin)
                    if reused is not None:
                        return reused
                    if len(self._open) >= self._max_open:
                        self._forget_closed()
                    if len(self._open) >= self._max_open:
                        await self._close_one_idle()
                    if len(self._open) < self._max_open:
                        connection = Connection(
                            origin,
                            keepalive_expiry=self._keepalive_expiry,
                            network_backend=_ASYNCIO if origin.scheme == b"http" else None,
                        )
                        self._open.add(connection)
                        return connection
                    if self._changed is None:
                        self._changed = asyncio.get_running_loop().create_future()
                    # Shielded: one waiter's timeout must not cancel what the others wait on.
                    await asyncio.shield(self._changed)
        except TimeoutError as error:
            raise httpx.PoolTimeout("no connection to the service came free in time") from error

    async def _take_idle(self, origin: httpcore.Origin) -> Connection | None:
        stack = self._idle.get((origin.scheme, origin.host, origin.port))
        while stack:
            connection = stack.pop()
            self._idle_count -= 1
            if connection.is_idle() and not connection.is_closed() and not connection.has_expired():
                return connection
            await self._discard(connection)
        return None

    def _forget_closed(self) -> None:
        """Connections that broke while their answer was never closed (a caller's bug) stop counting."""
        for connection in [connection for connection in self._open if connection.is_closed()]:
            self._open.discard(connection)

    async def _close_one_idle(self) -> None:
        """Room for a connection to another service: the longest-idle connection goes."""
        for stack in self._idle.values():
            if stack:
                self._idle_count -= 1
                await self._discard(stack.popleft())
                return

    async def _release(self, origin: httpcore.Origin, connection: Connection) -> None:
        if connection.is_idle() and not connection.is_closed() and self._idle_count < self._max_idle:
            stack = self._idle.setdefault((origin.scheme, origin.host, origin.port), deque())
            stack.append(connection)
            self._idle_count += 1
            # The longest-idle one, if the service has meanwhile closed it, goes now rather than sit there.
            if len(stack) > 1 and stack[0].has_expired():
                self._idle_count -= 1
                await self._discard(stack.popleft())
            self._notify()
        else:
            await self._discard(connection)

    async def _discard(self, connection: Connection) -> None:
        self._open.discard(connection)
        self._notify()
        with contextlib.suppress(Exception):
            await connection.aclose()

    def _notify(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)
        self._changed = None


class _AnswerBody(httpx.AsyncByteStream):
    """A service's answer body; closing it hands the connection back (or closes it, if not reusable)."""

    def __init__(
        self,
        transport: UpstreamTransport,
        origin: httpcore.Origin,
        connection: Connection,
        stream: AsyncIterable[bytes],
    ) -> None:
        self._transport = transport
        self._origin = origin
        self._connection = connection
        self._stream = stream
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            with _as_httpx_errors():
                async for part in self._stream:
                    yield part
        except Exception:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._released:
            return
        self._released = True
        try:
            close = getattr(self._stream, "aclose", None)
            if close is not None:
                with _as_httpx_errors():
                    await close()
        finally:
            await self._transport._release(self._origin, self._connection)


def upstream_problem(service: str, error: httpx.HTTPError) -> Problem:
    """503 when the service cannot be reached, 504 when it is too slow, 502 when it answers nonsense."""
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return Problem(
            503,
            "upstream-unavailable",
            f"The {service} service is unavailable; try again shortly.",
            title="Service Unavailable",
            headers={"Retry-After": "5"},
            service=service,
        )
    if isinstance(error, httpx.TimeoutException):
        return Problem(
            504,
            "upstream-timeout",
            f"The {service} service did not answer in time.",
            title="Gateway Timeout",
            service=service,
        )
    return Problem(
        502, "upstream-error", f"The {service} service gave an invalid answer.", title="Bad Gateway", service=service
    )
