"""A 500 asks the caller to quote the request id: its document carries that id, the same as the answer's header."""

from __future__ import annotations

import httpx
from starlette.middleware import Middleware

from hopekit.api.middleware import RequestContextMiddleware
from hopekit.api.problems import install_problem_handlers
from hopekit.app import ServiceApp


def make_app() -> ServiceApp:
    app = ServiceApp(kit_middleware=[Middleware(RequestContextMiddleware)])
    install_problem_handlers(app)

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("secret internals")

    return app


async def _get(headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/broken", headers=headers)


async def test_a_500_names_the_request_id_the_caller_gave() -> None:
    response = await _get({"x-request-id": "req-42"})

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    document = response.json()
    assert "quote the request id" in document["detail"]
    assert document["request_id"] == "req-42"
    assert "secret internals" not in response.text


async def test_a_500_names_the_request_id_made_for_it_and_sent_in_its_header() -> None:
    response = await _get({})

    assert response.status_code == 500
    assert response.json()["request_id"] == response.headers["x-request-id"]
