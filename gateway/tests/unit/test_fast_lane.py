"""The gateway's fast lane: its requests skip FastAPI's layers but keep the kit's middleware and problem
answers; every other request goes the usual way."""

from __future__ import annotations

import httpx
from starlette.middleware import Middleware
from starlette.types import Receive, Scope, Send

from gateway_service.routing.lane import install_fast_lane
from hopekit.api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from hopekit.api.problems import Problem
from hopekit.app import ServiceApp


class _Lane:
    """Claims /lane/...; answers with the path params it set, a problem, or an unexpected failure."""

    def claims(self, scope: Scope) -> bool:
        if not scope["path"].startswith("/lane/"):
            return False
        scope["path_params"] = {"rest": scope["path"][6:]}
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rest = scope["path_params"]["rest"]
        if rest == "problem":
            raise Problem(409, "conflict", "Already there.")
        if rest == "crash":
            raise RuntimeError("internals")
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        answer = f"lane:{rest}:{len(body)}".encode()
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(answer))]}
        )
        await send({"type": "http.response.body", "body": answer})


def _app(with_lane: bool = True) -> ServiceApp:
    app = ServiceApp(
        kit_middleware=[Middleware(RequestContextMiddleware), Middleware(BodySizeLimitMiddleware, max_bytes=10)],
        title="stub",
    )

    @app.get("/lane/usual")
    async def usual() -> dict[str, str]:
        return {"answered": "by FastAPI"}

    @app.get("/elsewhere")
    async def elsewhere() -> dict[str, str]:
        return {"answered": "by FastAPI"}

    if with_lane:
        install_fast_lane(app, _Lane())
    return app


def _client(app: ServiceApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stub")


async def test_the_lane_answers_what_it_claims_with_the_kits_middleware_around_it() -> None:
    async with _client(_app()) as client:
        answer = await client.get("/lane/usual", headers={"X-Request-ID": "r-1"})
        elsewhere = await client.get("/elsewhere")
    # The lane wins over a route of the same path: it is ahead of FastAPI's router.
    assert answer.text == "lane:usual:0"
    assert answer.headers["x-request-id"] == "r-1"
    assert answer.headers["traceparent"].startswith("00-")
    assert answer.headers["cache-control"] == "no-store"
    assert elsewhere.json() == {"answered": "by FastAPI"}
    assert "x-request-id" in elsewhere.headers


async def test_without_a_lane_every_request_goes_the_usual_way() -> None:
    async with _client(_app(with_lane=False)) as client:
        assert (await client.get("/lane/usual")).json() == {"answered": "by FastAPI"}


async def test_the_lanes_problems_and_failures_are_problem_documents() -> None:
    async with _client(_app()) as client:
        problem = await client.get("/lane/problem")
        crash = await client.get("/lane/crash")
    assert problem.status_code == 409
    assert problem.headers["content-type"] == "application/problem+json"
    assert problem.json()["instance"] == "/lane/problem"
    assert "x-request-id" in problem.headers
    assert crash.status_code == 500
    assert "internals" not in crash.text


async def test_the_body_size_limit_holds_in_the_lane() -> None:
    async with _client(_app()) as client:
        small = await client.post("/lane/upload", content=b"0123456789")
        large = await client.post("/lane/upload", content=b"01234567890")
    assert small.text == "lane:upload:10"
    assert large.status_code == 413
    assert large.headers["content-type"] == "application/problem+json"
