"""Every answer carries the request's id and trace, and is not to be cached unless it says otherwise."""

from __future__ import annotations

import re

from starlette.types import Message, Receive, Scope, Send

from hopekit.api.middleware import RequestContextMiddleware
from hopekit.logs import request_id_var, traceparent_var

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


Headers = list[tuple[bytes, bytes]]
# What the app saw: the request id and traceparent in its context.
Seen = list[tuple[str | None, str | None]]


async def _answer(headers: Headers, own: Headers) -> tuple[Headers, Seen]:
    seen: Seen = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((request_id_var.get(), traceparent_var.get()))
        await send({"type": "http.response.start", "status": 200, "headers": own})
        await send({"type": "http.response.body", "body": b""})

    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/v1/things", "headers": headers}
    await RequestContextMiddleware(app)(scope, receive, send)
    answered: Headers = sent[0]["headers"]
    return answered, seen


def _named(headers: Headers) -> dict[str, str]:
    return {name.decode(): value.decode() for name, value in headers}


async def test_a_valid_request_id_and_trace_are_kept() -> None:
    answered, seen = await _answer([(b"x-request-id", b"req-1"), (b"traceparent", TRACEPARENT.encode())], [])
    headers = _named(answered)
    assert headers["x-request-id"] == "req-1"
    assert headers["traceparent"] == TRACEPARENT
    assert seen == [("req-1", TRACEPARENT)]


async def test_missing_or_invalid_ones_are_made_fresh_for_each_request() -> None:
    first = _named((await _answer([(b"x-request-id", b"bad id with spaces"), (b"traceparent", b"00-zz")], []))[0])
    second = _named((await _answer([], []))[0])
    assert re.fullmatch(r"[0-9a-f]{32}", first["x-request-id"])
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01", first["traceparent"])
    trace_id = first["traceparent"].split("-")[1]
    assert trace_id != first["x-request-id"]
    assert second["x-request-id"] != first["x-request-id"]
    assert second["traceparent"] != first["traceparent"]


async def test_answers_are_not_cached_unless_they_say_otherwise() -> None:
    default, _ = await _answer([], [])
    assert _named(default)["cache-control"] == "no-store"
    own, _ = await _answer([], [(b"cache-control", b"public, max-age=300")])
    assert [value for name, value in own if name == b"cache-control"] == [b"public, max-age=300"]
