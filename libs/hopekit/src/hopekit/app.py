"""Assembles a service's FastAPI app the same way for every service; nothing is built at import time."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI
from starlette.middleware import Middleware
from starlette.types import ASGIApp

from hopekit.api import health
from hopekit.api.events import asyncapi_router
from hopekit.api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from hopekit.api.openapi import install_truthful_openapi
from hopekit.api.problems import install_problem_handlers
from hopekit.db.engine import make_engine
from hopekit.db.kit_tables import KitTables
from hopekit.events.relay import notify_channel
from hopekit.events.subscriptions import ConsumerSpec
from hopekit.identity.keys import CombinedKeySet, FileKeySet, KeySet, RemoteKeySet
from hopekit.identity.tokens import TokenVerifier
from hopekit.jobs import ScheduledJob, Scheduler
from hopekit.logs import configure_logging
from hopekit.metrics import MetricsMiddleware
from hopekit.metrics import router as metrics_router
from hopekit.runtime import EventRuntime
from hopekit.settings import ServiceSettings
from hopekit.tracing import configure_tracing
from hopekit.uow import Database, UnitOfWork


class ServiceApp(FastAPI):
    """FastAPI with the kit's middleware, kept so that a service can put something in front of FastAPI's own
    layers with the same middleware around it: ``wrap_stack`` (set before the first request) receives the usual
    stack and returns what serves every request (the gateway's fast lane, see ``gateway_service.routing.lane``)."""

    def __init__(self, *, kit_middleware: Sequence[Middleware], **options: Any) -> None:
        super().__init__(middleware=kit_middleware, **options)
        self.kit_middleware = list(kit_middleware)
        self.wrap_stack: Callable[[ASGIApp], ASGIApp] | None = None

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return stack if self.wrap_stack is None else self.wrap_stack(stack)


@dataclass(frozen=True)
class ServiceDefinition:
    settings: ServiceSettings
    title: str
    description: str
    kit_tables: KitTables
    uow_class: Callable[[Database], UnitOfWork]
    routers: Sequence[APIRouter]
    # Error base classes (with a ``category``) raised outside the request transaction's routes (the gateway's).
    error_types: Sequence[type[Exception]] = ()
    consumers: Sequence[ConsumerSpec] = ()
    # Work the service does on a clock (``hopekit.jobs``), beside the relay and the consumers.
    scheduled: Sequence[ScheduledJob] = ()
    large_body_paths: Mapping[str, int] = field(default_factory=dict)
    version: str = "1.0.0"
    # Serve GET /asyncapi (what the service sends and receives); off for the gateway, which serves the merge.
    event_document: bool = True


# The collector's thresholds once a service runs (CPython's are 700, 10, 10). A request allocates thousands of
# objects, nearly all freed by their reference counts: at 700 a young collection ran every few requests and a full
# one every 100 or so. Reporting's benchmark pattern in process at national scale (600 computed answers): 10 full
# collections of 25-55 ms each, every one landing in an answer, 628 ms collecting in all; at these thresholds, no
# full collection, 19 young ones of at most 20 ms, 92 ms in all.
COLLECTOR_THRESHOLDS = (10_000, 20, 20)


def _freeze_startup_objects() -> None:
    """The objects alive once the service has started (modules, tables, schemas, routes, the app: about 150,000)
    are moved out of the collector's reach. Otherwise each full collection walks them all again: 40-260 ms during
    which the event loop answers nobody, measured as reporting's slowest answers (a full pass set off by the
    thousands of objects a computed answer allocates). Once per process: tests start many apps in one. Then the
    collector runs less often (``COLLECTOR_THRESHOLDS``)."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*COLLECTOR_THRESHOLDS)


def build_service_app(definition: ServiceDefinition) -> ServiceApp:
    settings = definition.settings
    configure_logging(settings.service_name, settings.log_level, settings.log_json)
    configure_tracing(settings.service_name)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, settings.database_pool_size)
        database = Database(
            engine=engine,
            tables=definition.kit_tables,
            notify_channel=notify_channel(settings.event_source) if engine.dialect.name == "postgresql" else None,
        )
        http = httpx.AsyncClient()
        sources: list[KeySet] = []
        if settings.jwks_url:
            sources.append(RemoteKeySet(settings.jwks_url, http))
        if settings.jwt_public_keys_path is not None:
            sources.append(FileKeySet(settings.jwt_public_keys_path))
        keys = sources[0] if len(sources) == 1 else CombinedKeySet(*sources)
        app.state.settings = settings
        app.state.database = database
        app.state.uow_factory = lambda: definition.uow_class(database)
        app.state.verifier = TokenVerifier(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        events = EventRuntime(
            settings=settings,
            database=database,
            uow_factory=app.state.uow_factory,
            consumer_specs=definition.consumers,
        )
        app.state.events = events
        scheduler = Scheduler(
            settings.service_name, database, definition.scheduled if settings.scheduled_jobs_enabled else ()
        )
        app.state.scheduler = scheduler
        events.start()
        scheduler.start()
        _freeze_startup_objects()
        try:
            yield
        finally:
            await scheduler.stop()
            await events.stop()
            await http.aclose()
            await engine.dispose()

    app = ServiceApp(
        kit_middleware=[
            Middleware(RequestContextMiddleware),
            Middleware(MetricsMiddleware),
            Middleware(
                BodySizeLimitMiddleware,
                max_bytes=settings.max_body_bytes,
                large_paths=dict(definition.large_body_paths),
            ),
        ],
        # FastAPI's own OpenTelemetry hooks stay off: the kit makes its own spans, only when an exporter is configured
        # (hopekit.tracing); FastAPI's exception records would carry messages that may hold personal data,
        # and checking for a configured provider on every request was several percent of a request's CPU.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        title=definition.title,
        description=definition.description,
        version=definition.version,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    install_problem_handlers(app, definition.error_types)
    install_truthful_openapi(app)
    app.include_router(health.router)
    app.include_router(metrics_router)
    if definition.event_document:
        consumed = [event_type for spec in definition.consumers for event_type in spec.handlers]
        app.include_router(asyncapi_router(settings.service_name, consumed))
    for router in definition.routers:
        app.include_router(router)
    return app
