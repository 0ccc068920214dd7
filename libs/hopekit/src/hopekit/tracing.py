"""Spans for the W3C trace the kit already carries, exported by OpenTelemetry only when a collector is configured.

The trace context itself always travels (``hopekit.logs.traceparent_var``: the request's ``traceparent``, the
outbox row, the CloudEvent's ``traceparent`` extension, the consumer's log context). With
``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) set, each HTTP request and each
consumed event also becomes a span sent over OTLP/HTTP, and the ``traceparent`` carried onward names that span,
so a collector shows the request and the work it caused in other services as one trace. Without an endpoint
nothing is created and nothing is sent.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator, Mapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, TraceFlags, Tracer

from hopekit.logs import traceparent_var

log = logging.getLogger(__name__)

_TRACEPARENT = re.compile(r"^00-(?!0{32})([0-9a-f]{32})-(?!0{16})([0-9a-f]{16})-([0-9a-f]{2})$")
_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")

_tracer: Tracer | None = None


def export_endpoint(environ: Mapping[str, str] | None = None) -> str | None:
    environ = os.environ if environ is None else environ
    return next((environ[name] for name in _ENDPOINT_VARIABLES if environ.get(name)), None)


def configure_tracing(service: str, environ: Mapping[str, str] | None = None) -> bool:
    """Export spans over OTLP/HTTP when an endpoint is configured; True when it is."""
    global _tracer
    if _tracer is not None or export_endpoint(environ) is None:
        return _tracer is not None
    # Imported here: the exporter pulls in protobuf and an HTTP client, needed only when spans leave the process.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    provider = TracerProvider(resource=Resource.create({"service.name": f"hope-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    install(provider)
    log.info("traces exported to %s", export_endpoint(environ))
    return True


def install(provider: TracerProvider | None) -> None:
    """Use ``provider`` for the kit's spans (None: no spans); tests give one with an in-memory exporter."""
    global _tracer
    _tracer = provider.get_tracer("hopekit") if provider is not None else None


def enabled() -> bool:
    return _tracer is not None


def _parent(traceparent: str | None) -> Context | None:
    matched = _TRACEPARENT.match(traceparent or "")
    if matched is None:
        return None
    remote = SpanContext(
        trace_id=int(matched.group(1), 16),
        span_id=int(matched.group(2), 16),
        is_remote=True,
        trace_flags=TraceFlags(int(matched.group(3), 16)),
    )
    return trace.set_span_in_context(NonRecordingSpan(remote))


def traceparent_of(span: Span) -> str:
    context = span.get_span_context()
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"


@contextlib.contextmanager
def span(name: str, kind: SpanKind, parent: str | None) -> Iterator[Span | None]:
    """A span child of ``parent`` (a traceparent) whose own traceparent is the log and event context meanwhile.

    Yields None, and changes nothing, when no exporter is configured.
    """
    if _tracer is None:
        yield None
        return
    # Exception messages may name a person: a span says that it failed, never the message.
    with _tracer.start_as_current_span(
        name, context=_parent(parent), kind=kind, record_exception=False, set_status_on_exception=True
    ) as current:
        token = traceparent_var.set(traceparent_of(current))
        try:
            yield current
        finally:
            traceparent_var.reset(token)
