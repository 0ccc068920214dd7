"""Spans only when an exporter is configured; one trace from the HTTP request to the consumer's handler."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from hopekit import tracing
from hopekit.api.middleware import RequestContextMiddleware
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.ordering import apply_in_order
from hopekit.logs import traceparent_var
from hopekit.metrics import MetricsMiddleware

INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def exported() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    try:
        yield exporter
    finally:
        tracing.install(None)


def test_no_endpoint_means_no_exporter_and_no_spans() -> None:
    assert tracing.configure_tracing("kittest", environ={}) is False
    assert not tracing.enabled()
    with tracing.span("nothing", SpanKind.INTERNAL, INCOMING) as span:
        assert span is None
        assert traceparent_var.get() is None


def test_the_endpoint_is_read_from_the_standard_variables() -> None:
    assert tracing.export_endpoint({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}) == "http://collector:4318"
    assert tracing.export_endpoint({}) is None


async def test_a_request_span_continues_the_callers_trace_and_names_the_route(exported: InMemorySpanExporter) -> None:
    app = FastAPI()
    seen: list[str | None] = []

    @app.get("/v1/traced/{thing_id}")
    async def traced(thing_id: str) -> dict[str, str]:
        seen.append(traceparent_var.get())
        return {"id": thing_id}

    app.add_middleware(MetricsMiddleware)
    app.add_middleware(RequestContextMiddleware)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        await client.get("/v1/traced/a", headers={"traceparent": INCOMING})

    (span,) = exported.get_finished_spans()
    assert span.name == "GET /v1/traced/{thing_id}"
    assert span.kind == SpanKind.SERVER
    assert span.context is not None
    assert span.parent is not None
    assert f"{span.context.trace_id:032x}" == INCOMING.split("-")[1]
    assert f"{span.parent.span_id:016x}" == INCOMING.split("-")[2]
    # What the endpoint logs and writes to the outbox names this span, so the consumer's span hangs under it.
    assert seen == [f"00-{span.context.trace_id:032x}-{span.context.span_id:016x}-01"]


async def test_a_consumed_event_becomes_a_consumer_span_in_the_same_trace(exported: InMemorySpanExporter) -> None:
    event = ReceivedEvent(
        id=str(uuid.uuid4()),
        source="/hope/elsewhere",
        type="fr.hope.elsewhere.thing.done.v1",
        subject="s",
        time=datetime.now(UTC),
        key="k",
        data={},
        topic="t",
        partition=0,
        offset=0,
        sequence=None,
        traceparent=INCOMING,
    )
    seen: list[str | None] = []

    async def handle() -> None:
        seen.append(traceparent_var.get())

    assert await apply_in_order(None, None, "kittest.consumer", event, handle)  # type: ignore[arg-type]

    (span,) = exported.get_finished_spans()
    assert span.kind == SpanKind.CONSUMER
    assert span.context is not None
    assert f"{span.context.trace_id:032x}" == INCOMING.split("-")[1]
    assert seen == [f"00-{span.context.trace_id:032x}-{span.context.span_id:016x}-01"]
