"""Background work of a running service: the Kafka producer, the outbox relay and the consumers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from hopekit.events.consumer import EventConsumer
from hopekit.events.kafka import RenewingProducer, make_producer
from hopekit.events.relay import OutboxRelay
from hopekit.events.subscriptions import ConsumerSpec
from hopekit.settings import ServiceSettings
from hopekit.uow import Database, UnitOfWork

log = logging.getLogger(__name__)

# Each of the two waits of a shutdown (the workers, then the producer): well inside an orchestrator's grace period.
STOP_TIMEOUT_S = 10.0


@dataclass
class EventRuntime:
    settings: ServiceSettings
    database: Database
    uow_factory: Callable[[], UnitOfWork]
    consumer_specs: Sequence[ConsumerSpec]
    producer: RenewingProducer | None = None
    relay: OutboxRelay | None = None
    consumers: list[EventConsumer[Any]] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    kafka_ready: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self) -> None:
        if self.settings.kafka_bootstrap is None:
            if self.settings.relay_enabled or self.consumer_specs:
                log.warning("no Kafka configured: events stay in the outbox until one is")
            return
        self._tasks.append(asyncio.create_task(self._connect_and_run(), name="kafka"))

    async def _connect_and_run(self) -> None:
        settings = self.settings
        assert settings.kafka_bootstrap is not None
        delay = 0.2
        while True:
            producer = RenewingProducer(
                partial(make_producer, settings.kafka_bootstrap, f"{settings.service_name}-service")
            )
            try:
                await producer.start()
                break
            except Exception as error:
                with contextlib.suppress(Exception):
                    await producer.stop()
                log.warning("Kafka at %s not reachable yet (%s); retrying", settings.kafka_bootstrap, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self.producer = producer
        self.kafka_ready.set()
        workers: list[tuple[str, Callable[[], Awaitable[None]]]] = []
        if settings.relay_enabled:
            self.relay = OutboxRelay(
                self.database.engine,
                self.database.tables.outbox,
                producer,
                settings.event_source,
                wakeup=self.database.wakeup,
                batch_size=settings.relay_batch_size,
                poll_interval_s=settings.relay_poll_interval_s,
            )
            workers.append(("relay", self.relay.run))
        for spec in self.consumer_specs:
            consumer: EventConsumer[Any] = EventConsumer(
                name=f"{settings.service_name}.{spec.name}",
                topics=spec.topics,
                bootstrap=settings.kafka_bootstrap,
                uow_factory=self.uow_factory,
                handlers=spec.handlers,
                dlq_producer=producer,
                max_attempts=settings.consumer_max_attempts,
                backoff_s=settings.consumer_backoff_s,
                batch=spec.batch,
            )
            self.consumers.append(consumer)
            workers.append((consumer.name, consumer.run))
        for name, work in workers:
            self._tasks.append(asyncio.create_task(_supervise(name, work), name=name))

    async def stop(self) -> None:
        """Stops the relay and the consumers, each within ``STOP_TIMEOUT_S``: a consumer caught in a group
        rebalance or a producer waiting on an unreachable broker must not hold the service's shutdown for ever."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            done, pending = await asyncio.wait(self._tasks, timeout=STOP_TIMEOUT_S)
            for task in done:
                if not task.cancelled():
                    task.exception()  # retrieved here: the supervisor already logged a worker's error
            for task in pending:
                log.warning("%s did not stop within %.0fs; shutting down without it", task.get_name(), STOP_TIMEOUT_S)
        if self.producer is not None:
            try:
                await asyncio.wait_for(self.producer.stop(), STOP_TIMEOUT_S)
            except TimeoutError:
                log.warning("the Kafka producer did not stop within %.0fs; shutting down without it", STOP_TIMEOUT_S)


@dataclass
class RestartBackoff:
    """The pause before a crashed worker is restarted: it doubles with each crash up to ``max_s``, and starts over
    once the worker had run ``stable_after_s``. Without the reset, a long-lived service that had met a few broker
    outages waited the longest pause after every later crash, its consumers idle meanwhile."""

    first_s: float = 0.5
    max_s: float = 30.0
    stable_after_s: float = 60.0
    _next_s: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._next_s = self.first_s

    def after_crash(self, ran_s: float) -> float:
        """The pause before the next start of a worker that crashed after running ``ran_s`` seconds."""
        if ran_s >= self.stable_after_s:
            self._next_s = self.first_s
        delay = self._next_s
        self._next_s = min(self._next_s * 2, self.max_s)
        return delay


async def _supervise(name: str, work: Callable[[], Awaitable[None]], backoff: RestartBackoff | None = None) -> None:
    """Keep a background worker alive: a crash is logged and the worker restarted after a pause."""
    backoff = backoff or RestartBackoff()
    while True:
        started = time.monotonic()
        try:
            await work()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            delay = backoff.after_crash(time.monotonic() - started)
            log.exception("%s stopped on an error; restarting in %.1fs", name, delay)
            await asyncio.sleep(delay)
