"""A plain ASGI app behind ProblemBoundary answers problems and failures as the framework's handlers would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from hopekit.api.problems import Problem, ProblemBoundary, public_path

SCOPE: Scope = {"type": "http", "method": "GET", "path": "/api/stub/v1/things", "headers": []}


async def _call(app: Any) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await ProblemBoundary(app)(dict(SCOPE), receive, send)
    return sent


async def test_a_problem_is_answered_as_its_document() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise Problem(429, "rate-limited", "Slow down.", headers={"Retry-After": "7"}, limit=10)

    start, body = await _call(app)
    assert start["status"] == 429
    headers = dict(start["headers"])
    assert headers[b"content-type"] == b"application/problem+json"
    assert headers[b"retry-after"] == b"7"
    document = json.loads(body["body"])
    assert document["type"] == "urn:hope:problem:rate-limited"
    assert document["detail"] == "Slow down."
    assert document["instance"] == "/api/stub/v1/things"
    assert document["limit"] == 10


async def test_anything_else_is_a_logged_500_without_its_message(caplog: pytest.LogCaptureFixture) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("secret internals")

    start, body = await _call(app)
    assert start["status"] == 500
    assert b"secret internals" not in body["body"]
    assert json.loads(body["body"])["type"] == "urn:hope:problem:internal"
    assert "unhandled error on GET /api/stub/v1/things" in caplog.text


async def test_a_failure_after_the_answer_began_goes_on_to_the_server() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("broken stream")

    with pytest.raises(RuntimeError, match="broken stream"):
        await _call(app)


async def test_an_app_that_answers_is_left_alone() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent = await _call(app)
    assert [message["type"] for message in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 204


def test_the_public_path_carries_the_gateways_prefix_when_it_is_a_plain_path() -> None:
    def scope(*headers: tuple[bytes, bytes]) -> Scope:
        return {"type": "http", "path": "/v1/beneficiaries", "headers": list(headers)}

    assert public_path(scope()) == "/v1/beneficiaries"
    assert public_path(scope((b"x-forwarded-prefix", b"/api/enrolment"))) == "/api/enrolment/v1/beneficiaries"
    for odd in (b"", b"/", b"api", b"//evil.example", b"/api/../x", b"/a b", b"/api/enrolment/", b"/a/b/c/d/e"):
        assert public_path(scope((b"x-forwarded-prefix", odd))) == "/v1/beneficiaries", odd
