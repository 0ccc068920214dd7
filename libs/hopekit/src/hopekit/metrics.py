"""Prometheus metrics of a service: HTTP requests, the outbox relay, the producer, the consumers and the
scheduled jobs.

Every metric lives in prometheus-client's default registry (one service per process); labels name the source or
the consumer so that tests running several services in one process still tell them apart. ``GET /metrics``
serves them in the text format.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Response
from opentelemetry.trace import Span, SpanKind
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hopekit import tracing
from hopekit.logs import traceparent_var

HTTP_REQUESTS = Counter(
    "hope_http_requests_total", "HTTP requests answered, by route template and status.", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "hope_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and status.",
    ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
OUTBOX_WAITING = Gauge("hope_outbox_waiting_rows", "Outbox rows not yet published.", ["source"])
OUTBOX_OLDEST_AGE = Gauge(
    "hope_outbox_oldest_waiting_age_seconds", "Age of the oldest outbox row not yet published (0: none).", ["source"]
)
RELAY_STALLED = Gauge(
    "hope_outbox_relay_stalled", "1 while rows wait and the relay publishes none of them.", ["source"]
)
EVENTS_PUBLISHED = Counter(
    "hope_events_published_total", "Events the relay saw acknowledged by Kafka.", ["source", "topic"]
)
RELAY_SEND_FAILURES = Counter("hope_outbox_send_failures_total", "Outbox rows whose send failed.", ["source"])
PRODUCER_RENEWALS = Counter(
    "hope_kafka_producer_renewals_total", "Kafka producers closed and replaced after a fatal error."
)
CONSUMER_LAG = Gauge(
    "hope_consumer_lag", "Records of a partition not yet consumed.", ["consumer", "topic", "partition"]
)
HANDLER_FAILURES = Counter(
    "hope_consumer_handler_failures_total", "Handler attempts that raised, by event type.", ["consumer", "type"]
)
DEAD_LETTERS = Counter("hope_consumer_dead_letters_total", "Records sent to the dead-letter topic.", ["consumer"])
STALE_SKIPPED = Counter(
    "hope_consumer_stale_events_skipped_total",
    "Events skipped because the consumer already applied a later event of the same aggregate.",
    ["consumer", "type"],
)
OFFSETS_LEFT = Counter(
    "hope_consumer_offsets_left_total",
    "A poll's partitions dealt to another member of the group while it was applied: their offsets left to the new"
    " owner, which reads those records again (its inbox leaves them out).",
    ["consumer"],
)
DUPLICATES_DROPPED = Counter(
    "hope_consumer_duplicates_dropped_total",
    "Events delivered again (a resend, or a poll replayed after a restart) that the inbox refused to apply twice.",
    ["consumer"],
)
SCHEDULED_RUNS = Counter(
    "hope_scheduled_runs_total",
    "Runs of a scheduled job, by outcome (succeeded, failed, skipped: another replica held its lock).",
    ["job", "outcome"],
)
SCHEDULED_LAST_SUCCESS = Gauge(
    "hope_scheduled_last_success_timestamp_seconds",
    "When a scheduled job last succeeded (Unix time): an alert can watch for one that stopped succeeding.",
    ["job"],
)

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
async def serve_metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Counts and times every HTTP answer by the route template that served it (never the raw path: ids in
    paths would make one series per person); a server span for it when traces are exported. Installed inside
    ``RequestContextMiddleware``, which has set the request's trace context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # The counter and histogram series of each (method, route, status), looked up once: ``labels`` takes a
        # lock and builds its key on every call. Routes and statuses are few, so this stays small.
        self._series: dict[tuple[str, str, str], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if tracing.enabled():
            with tracing.span(scope["method"], SpanKind.SERVER, traceparent_var.get()) as span:
                await self._observed(scope, receive, send, span)
        else:
            await self._observed(scope, receive, send, None)

    async def _observed(self, scope: Scope, receive: Receive, send: Send, span: Span | None) -> None:
        started = time.perf_counter()
        status = 500

        async def observe_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observe_status)
        finally:
            # A fast lane (the gateway's) bypasses the router: it may name its template in "hope.route".
            route = getattr(scope.get("route"), "path", None) or scope.get("hope.route") or "unmatched"
            labels = (scope["method"], route, str(status))
            series = self._series.get(labels)
            if series is None:
                series = self._series[labels] = (HTTP_REQUESTS.labels(*labels), HTTP_LATENCY.labels(*labels))
            series[0].inc()
            series[1].observe(time.perf_counter() - started)
            if span is not None:
                span.update_name(f"{scope['method']} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)


def record_lag(consumer_name: str, consumer: Any, batches: Mapping[Any, Sequence[Any]]) -> None:
    """Lag of each partition a poll returned records of; an empty poll means every assigned partition is caught up."""
    if not batches:
        for partition in consumer.assignment():
            CONSUMER_LAG.labels(consumer_name, partition.topic, str(partition.partition)).set(0)
        return
    for partition, records in batches.items():
        highwater = consumer.highwater(partition)
        if highwater is not None and records:
            lag = max(highwater - (records[-1].offset + 1), 0)
            CONSUMER_LAG.labels(consumer_name, partition.topic, str(partition.partition)).set(lag)
