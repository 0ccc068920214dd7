"""The outbox relay: publishes committed outbox rows to Kafka, then marks them published.

A row is marked only after Kafka acknowledged it, so a relay that dies in between republishes the row
with the same CloudEvents ``id`` and consumers drop the duplicate. On PostgreSQL one relay of a service
works at a time (a transaction-scoped advisory lock), which keeps per-key order across relays; rows are
also claimed ``FOR UPDATE SKIP LOCKED``. A ``NOTIFY`` on commit wakes the relay, polling is the backstop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from sqlalchemy import Row, Table, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hopekit.events import cloudevent

log = logging.getLogger(__name__)

AfterSend = Callable[[Sequence[int]], Awaitable[None]]


def notify_channel(source: str) -> str:
    return "hope_outbox_" + source.strip("/").replace("/", "_")


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        outbox: Table,
        producer: AIOKafkaProducer,
        source: str,
        *,
        wakeup: asyncio.Event,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
        after_send: AfterSend | None = None,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._producer = producer
        self._source = source
        self._wakeup = wakeup
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._after_send = after_send
        self._postgres = engine.dialect.name == "postgresql"
        self._lock_key = zlib.crc32(f"outbox:{source}".encode())
        self.published_total = 0

    async def run(self) -> None:
        listener = await self._listen()
        failures = 0
        try:
            while True:
                try:
                    count = await self.publish_batch()
                    failures = 0
                except Exception:
                    failures += 1
                    log.exception("outbox relay batch failed", extra={"consecutive_failures": failures})
                    await asyncio.sleep(min(0.1 * 2**failures, 10.0))
                    continue
                if count >= self._batch_size:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), self._poll_interval_s)
                self._wakeup.clear()
        finally:
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
        return published

    def _claim_query(self) -> Any:
        outbox = self._outbox
        query = (
            select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.position).limit(self._batch_size)
        )
        return query.with_for_update(skip_locked=True) if self._postgres else query

    async def _send(self, rows: Sequence[Row[Any]]) -> list[BaseException | None]:
        """Send every row, then await every delivery; a key whose send failed stops there for this batch."""
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
            )
            try:
                pending.append(await self._producer.send(row.topic, value=value, key=key, headers=headers))
            except Exception as error:
                pending.append(error)
        outcomes = await asyncio.gather(
            *(_settled(item) for item in pending),
        )
        failed_keys: set[str] = set()
        results: list[BaseException | None] = []
        for row, outcome in zip(rows, outcomes, strict=True):
            # A later row of a key whose earlier row failed is left for the next batch, after that one.
            if outcome is None and row.key in failed_keys:
                outcome = RuntimeError("an earlier event with the same key was not delivered")
            if outcome is not None:
                failed_keys.add(row.key)
            results.append(outcome)
        return results

    async def _mark(
        self, connection: AsyncConnection, rows: Sequence[Row[Any]], results: Sequence[BaseException | None]
    ) -> None:
        outbox = self._outbox
        delivered = [row.position for row, result in zip(rows, results, strict=True) if result is None]
        if delivered:
            await connection.execute(
                update(outbox).where(outbox.c.position.in_(delivered)).values(published_at=datetime.now(UTC))
            )
        for row, result in zip(rows, results, strict=True):
            if result is not None:
                await connection.execute(
                    update(outbox)
                    .where(outbox.c.position == row.position)
                    .values(attempts=outbox.c.attempts + 1, last_error=repr(result)[:1000])
                )
        if len(delivered) < len(rows):
            log.warning("outbox relay left %d rows for a retry", len(rows) - len(delivered))

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


async def _settled(item: asyncio.Future[Any] | BaseException) -> BaseException | None:
    if isinstance(item, BaseException):
        return item
    try:
        await item
    except Exception as error:
        return error
    return None
