"""The outbox relay: publishes committed outbox rows to Kafka, then marks them published.

A row is marked only after Kafka acknowledged it, so a relay that dies in between republishes the row
with the same CloudEvents ``id`` and consumers drop the duplicate. On PostgreSQL one relay of a service
works at a time (a transaction-scoped advisory lock), which keeps per-key order across relays; rows are
also claimed ``FOR UPDATE SKIP LOCKED``. A ``NOTIFY`` on commit wakes the relay, polling is the backstop.

Per-key order: a batch is sent in waves, the n-th wave holding the n-th row of each key, and a wave is sent
only once the previous one is acknowledged. A key whose row failed sends nothing more in this batch; its
later rows wait, untouched, behind it for the next batch. Rows of distinct keys (the usual batch) go in one wave.

Recovery: a producer that hit a fatal error (``hopekit.events.kafka.is_fatal``), whose sender died, or that
failed three batches in a row is closed and replaced by a new one (a new producer id), with backoff, outside
the batch's transaction. A watcher measures the waiting rows every second; the oldest waiting row staying
unpublished for ``stall_after_s`` is a stall, whichever relay instance should publish it: one WARNING when
it starts, one when it ends, the ``hope_outbox_relay_stalled`` gauge meanwhile, and ``/health/ready``
answers 503 with ``relay: stalled``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaTimeoutError
from sqlalchemy import Row, Table, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hopekit import metrics
from hopekit.events import cloudevent
from hopekit.events.kafka import RenewingProducer, is_fatal, sender_dead

log = logging.getLogger(__name__)

AfterSend = Callable[[Sequence[int]], Awaitable[None]]

# After this many failed batches in a row the producer is replaced even if no error looked fatal.
RENEW_AFTER_FAILED_BATCHES = 3


class _Held(Exception):
    """A row not sent because an earlier row of its key was not delivered (it keeps its attempts count)."""


def notify_channel(source: str) -> str:
    return "hope_outbox_" + source.strip("/").replace("/", "_")


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        producer: AIOKafkaProducer | RenewingProducer,
        source: str,
        *,
        wakeup: asyncio.Event,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        after_send: AfterSend | None = None,
        stall_after_s: float = 30.0,
        delivery_timeout_s: float = 60.0,
        watch_interval_s: float = 1.0,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._producer = producer
        self._source = source
        self._wakeup = wakeup
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._after_send = after_send
        self._stall_after_s = stall_after_s
        self._delivery_timeout_s = delivery_timeout_s
        self._watch_interval_s = watch_interval_s
        self._postgres = engine.dialect.name == "postgresql"
        self._lock_key = zlib.crc32(f"outbox:{source}".encode())
        self._renewal_reason: BaseException | None = None
        self._failed_batches = 0
        self._last_failure_log = 0.0
        self._last_progress = time.monotonic()
        self._oldest_position: int | None = None
        self.published_total = 0
        self.waiting = 0
        self.stalled_since: float | None = None

    @property
    def stalled(self) -> bool:
        return self.stalled_since is not None

    async def run(self) -> None:
        listener = await self._listen()
        watcher = asyncio.create_task(self._watch(), name="outbox-watch")
        try:
            while True:
                await self._recover()
                try:
                    count = await self.publish_batch()
                except Exception as error:
                    self._batch_failed(error)
                    await asyncio.sleep(min(0.1 * 2**self._failed_batches, 10.0))
                    continue
                if self._renewal_reason is not None:
                    await asyncio.sleep(min(0.1 * 2**self._failed_batches, 10.0))
                    continue
                if count >= self._batch_size:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), self._poll_interval_s)
                self._wakeup.clear()
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.close()

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows it marked published."""
        async with self._engine.connect() as connection, connection.begin():
            if self._postgres and not await connection.scalar(select(func.pg_try_advisory_xact_lock(self._lock_key))):
                return 0
            rows = (await connection.execute(self._claim_query())).all()
            if not rows:
                return 0
            results = await self._send(rows)
            if self._after_send is not None:
                await self._after_send([row.position for row in rows])
            await self._mark(connection, rows, results)
        published = sum(1 for result in results if result is None)
        self.published_total += published
        failures = [result for result in results if result is not None and not isinstance(result, _Held)]
        if failures:
            self._batch_failed(failures[0])
        else:
            self._failed_batches = 0
        return published

    def _claim_query(self) -> Any:
        outbox = self._outbox
        query = (
            select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.position).limit(self._batch_size)
        )
        return query.with_for_update(skip_locked=True) if self._postgres else query

    async def _send(self, rows: Sequence[Row[Any]]) -> list[BaseException | None]:
        """Send the rows in per-key waves; each row's outcome: None (acknowledged), its error, or ``_Held``."""
        results: list[BaseException | None] = [None] * len(rows)
        queues: dict[str, deque[int]] = {}
        for index, row in enumerate(rows):
            queues.setdefault(row.key, deque()).append(index)
        while queues:
            wave = [queue.popleft() for queue in queues.values()]
            outcomes = await self._send_wave([rows[index] for index in wave])
            for index, outcome in zip(wave, outcomes, strict=True):
                results[index] = outcome
                key = rows[index].key
                if outcome is not None:
                    for held in queues.pop(key):
                        results[held] = _Held(f"an earlier event of key {key} was not delivered")
                elif not queues[key]:
                    del queues[key]
        return results

    async def _send_wave(self, rows: Sequence[Row[Any]]) -> list[BaseException | None]:
        pending: list[asyncio.Future[Any] | BaseException] = []
        for row in rows:
            key, value, headers = cloudevent.encode(
                event_id=row.event_id,
                source=self._source,
                type_=row.type,
                subject=row.subject,
                time=row.occurred_at,
                key=row.key,
                payload=row.payload,
                sequence=row.sequence,
                traceparent=row.traceparent,
            )
            try:
                pending.append(await self._producer.send(row.topic, value=value, key=key, headers=headers))
            except Exception as error:
                pending.append(error)
        settled = asyncio.gather(*(_settled(item) for item in pending))
        try:
            # A producer whose sender died may never settle its futures: a wave that takes this long failed.
            return list(await asyncio.wait_for(settled, self._delivery_timeout_s))
        except TimeoutError:
            timed_out = KafkaTimeoutError(f"no acknowledgement within {self._delivery_timeout_s:.0f}s")
            self._renewal_reason = timed_out
            return [timed_out] * len(rows)

    async def _mark(
        self, connection: AsyncConnection, rows: Sequence[Row[Any]], results: Sequence[BaseException | None]
    ) -> None:
        outbox = self._outbox
        delivered = [row for row, result in zip(rows, results, strict=True) if result is None]
        if delivered:
            await connection.execute(
                update(outbox)
                .where(outbox.c.position.in_([row.position for row in delivered]))
                .values(published_at=datetime.now(UTC))
            )
            topics: dict[str, int] = {}
            for row in delivered:
                topics[row.topic] = topics.get(row.topic, 0) + 1
            for topic, count in topics.items():
                metrics.EVENTS_PUBLISHED.labels(self._source, topic).inc(count)
        failed = [row for row, result in zip(rows, results, strict=True) if result is not None]
        for row, result in zip(rows, results, strict=True):
            if result is not None and not isinstance(result, _Held):
                await connection.execute(
                    update(outbox)
                    .where(outbox.c.position == row.position)
                    .values(attempts=outbox.c.attempts + 1, last_error=repr(result)[:1000])
                )
                metrics.RELAY_SEND_FAILURES.labels(self._source).inc()
        if failed:
            log.debug("outbox relay left %d rows for a retry", len(failed))

    def _batch_failed(self, error: BaseException) -> None:
        self._failed_batches += 1
        if is_fatal(error) or self._failed_batches >= RENEW_AFTER_FAILED_BATCHES:
            self._renewal_reason = error
        now = time.monotonic()
        # The stall lines say when the relay stops and resumes; this line is for the error itself, at most once a
        # minute while the failures go on.
        if self._failed_batches == 1 or now - self._last_failure_log >= 60:
            self._last_failure_log = now
            log.warning(
                "outbox relay batch failed: %r",
                error,
                extra={"consecutive_failures": self._failed_batches},
            )

    async def _recover(self) -> None:
        """Replace the producer when the last batch said it is broken (outside any database transaction)."""
        producer = self._producer
        if not isinstance(producer, RenewingProducer):
            self._renewal_reason = None
            return
        reason = self._renewal_reason
        if reason is None and sender_dead(producer.current):
            reason = KafkaTimeoutError("the producer's sender stopped")
        if reason is None:
            return
        await producer.renew(producer.current, reason=reason)
        self._renewal_reason = None
        self._failed_batches = 0

    async def _watch(self) -> None:
        """Every ``watch_interval_s``: the waiting rows, the oldest one's age, and whether the relay is stalled."""
        while True:
            with contextlib.suppress(Exception):
                await self.measure_backlog()
            await asyncio.sleep(self._watch_interval_s)

    async def measure_backlog(self) -> None:
        outbox = self._outbox
        async with self._engine.connect() as connection:
            waiting, oldest_at, oldest_position = (
                await connection.execute(
                    select(func.count(), func.min(outbox.c.occurred_at), func.min(outbox.c.position)).where(
                        outbox.c.published_at.is_(None)
                    )
                )
            ).one()
        self.waiting = int(waiting)
        age = max((datetime.now(UTC) - oldest_at).total_seconds(), 0.0) if oldest_at is not None else 0.0
        metrics.OUTBOX_WAITING.labels(self._source).set(self.waiting)
        metrics.OUTBOX_OLDEST_AGE.labels(self._source).set(age)
        # Progress is the oldest waiting row moving on, whoever published it: on PostgreSQL a standby relay (the
        # advisory lock held by another instance) is not stalled while the active one publishes.
        if self.waiting == 0 or oldest_position != self._oldest_position:
            self._last_progress = time.monotonic()
        self._oldest_position = oldest_position
        self._judge_stall(age)

    def _judge_stall(self, oldest_age_s: float) -> None:
        now = time.monotonic()
        idle_for = now - self._last_progress
        if self.stalled_since is None and self.waiting and idle_for >= self._stall_after_s:
            self.stalled_since = self._last_progress
            metrics.RELAY_STALLED.labels(self._source).set(1)
            log.warning(
                "outbox relay stalled: %d rows waiting, the oldest (%.0fs old) not published for %.0fs",
                self.waiting,
                oldest_age_s,
                idle_for,
                extra={"waiting": self.waiting, "oldest_age_s": round(oldest_age_s, 1)},
            )
        elif self.stalled_since is not None and self._last_progress > self.stalled_since:
            stalled_for = self._last_progress - self.stalled_since
            self.stalled_since = None
            metrics.RELAY_STALLED.labels(self._source).set(0)
            log.warning(
                "outbox relay resumed after a %.0fs stall: %d rows waiting",
                stalled_for,
                self.waiting,
                extra={"stalled_s": round(stalled_for, 1), "waiting": self.waiting},
            )

    async def _listen(self) -> asyncpg.Connection | None:
        if not self._postgres:
            return None
        url = make_url(self._engine.url).set(drivername="postgresql")
        try:
            listener: asyncpg.Connection = await asyncpg.connect(url.render_as_string(hide_password=False))
            await listener.add_listener(notify_channel(self._source), lambda *_: self._wakeup.set())
        except (OSError, asyncpg.PostgresError):
            log.warning("outbox relay cannot LISTEN; polling only", exc_info=True)
            return None
        return listener


def readiness(relay: OutboxRelay | None) -> str:
    """The relay's line in ``/health/ready``: ``stalled`` makes the service not ready."""
    if relay is None:
        return "not_configured"
    return "stalled" if relay.stalled else "ok"


async def _settled(item: asyncio.Future[Any] | BaseException) -> BaseException | None:
    if isinstance(item, BaseException):
        return item
    try:
        await item
    except Exception as error:
        return error
    return None
