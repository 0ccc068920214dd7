"""GET /metrics and the request metrics, labelled by route template, never by the raw path."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, HTTPException

from hopekit.metrics import HTTP_REQUESTS, MetricsMiddleware, router


def app() -> FastAPI:
    application = FastAPI()
    application.add_middleware(MetricsMiddleware)
    application.include_router(router)

    @application.get("/v1/metered/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        if thing_id == "missing":
            raise HTTPException(404)
        return {"id": thing_id}

    return application


async def test_requests_are_counted_by_route_template_and_status_and_served_on_metrics() -> None:
    ok = HTTP_REQUESTS.labels("GET", "/v1/metered/{thing_id}", "200")
    missing = HTTP_REQUESTS.labels("GET", "/v1/metered/{thing_id}", "404")
    before_ok, before_missing = ok._value.get(), missing._value.get()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://test") as client:
        for thing in ("a", "b", "missing"):
            await client.get(f"/v1/metered/{thing}")
        answer = await client.get("/metrics")

    assert ok._value.get() - before_ok == 2
    assert missing._value.get() - before_missing == 1
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert 'hope_http_requests_total{method="GET",route="/v1/metered/{thing_id}",status="200"}' in answer.text
    assert "/v1/metered/a" not in answer.text
    assert "hope_outbox_oldest_waiting_age_seconds" in answer.text
