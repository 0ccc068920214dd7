"""The gateway's HTTP/1.1 server protocol: uvicorn's (with each answer's head and body in one write), and bounds on
what a caller may send before its request is known.

uvicorn with httptools sets none: a 100 MB header was read and passed on, never-finished heads held memory, and a
connection that sends nothing, or a byte now and then, stayed open for ever. What production servers bound, this
does, before any of the app runs:

- the head's size (request line and header fields): over it, 431 and the connection closed. The bytes of a head
  still arriving are counted as they come, so an unfinished head holds at most the bound plus one read;
- the number of header fields: over it, 431;
- the time to receive a whole head, from the connection's start or the head's first byte: past it, 408 and the
  connection closed (a slow client is cut however it trickles).

Serve with ``uvicorn ... --http gateway_service.http_protocol:GatewayHttpProtocol``. The bounds are the app's
settings (``HOPE_GATEWAY_HEAD_*``): the gateway's lifespan puts them in the lifespan state, which uvicorn hands to
every connection.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from gateway_service.routing.coalescing import CoalescingHttpProtocol

# The lifespan state's key for the bounds.
HEAD_LIMITS_STATE = "gateway.head_limits"


@dataclass(frozen=True)
class HeadLimits:
    # nginx reads a head into at most 4 buffers of 8 KiB; a bearer token of the gateway's is under 2 KiB.
    max_bytes: int = 32 * 1024
    max_fields: int = 100
    timeout_s: float = 10.0


class _HeadTooLarge(Exception):
    """Raised from the parser's callbacks to stop reading a head over its bounds."""


class GatewayHttpProtocol(CoalescingHttpProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = self.app_state.get(HEAD_LIMITS_STATE) if self.app_state else None
        self._limits = found if isinstance(found, HeadLimits) else HeadLimits()
        # Between requests (and before the first), the next bytes are a head's.
        self._reading_head = True
        self._head_bytes = 0
        self._head_content = 0
        self._head_fields = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._refusal: HTTPStatus | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # A connection that sends nothing at all is cut too.
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            self._head_bytes += len(data)
            if self._head_timer is None:
                self._arm_head_timer()
        super().data_received(data)
        if self._reading_head and self._head_bytes > self._limits.max_bytes and not self.transport.is_closing():
            # Still no end of the head after more than it may hold.
            self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request head is too large.")

    # -- parser callbacks ------------------------------------------------------------------------------------
    def on_url(self, url: bytes) -> None:
        self._count(len(url), fields=0)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value), fields=1)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._head_bytes = self._head_content = self._head_fields = 0
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        # What comes next is the next request's head; its timer starts with its first byte.
        self._reading_head = True
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a head the parser refused: a callback of this class may have stopped the parser."""
        if self._refusal is not None:
            self._refuse(self._refusal, "The request head has too many header fields or is too large.")
        else:
            super().send_400_response(msg)

    # -- bounds ----------------------------------------------------------------------------------------------
    def _count(self, size: int, fields: int) -> None:
        self._head_content += size
        self._head_fields += fields
        if self._head_content > self._limits.max_bytes or self._head_fields > self._limits.max_fields:
            self._refusal = HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
            raise _HeadTooLarge

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self._limits.timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._reading_head and not self.transport.is_closing():
            self._refuse(HTTPStatus.REQUEST_TIMEOUT, "The request head did not arrive in time.")

    def _refuse(self, status: HTTPStatus, detail: str) -> None:
        """A problem document, and the connection closed: what is left of the head is never read."""
        body = json.dumps(
            {
                "type": f"urn:hope:problem:{'request-head-too-large' if status == 431 else 'request-head-timeout'}",
                "title": status.phrase,
                "status": status.value,
                "detail": detail,
            }
        ).encode()
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\ncontent-type: application/problem+json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        ).encode("ascii")
        self._reading_head = False
        self._cancel_head_timer()
        self.transport.write(head + body)
        self.transport.close()
