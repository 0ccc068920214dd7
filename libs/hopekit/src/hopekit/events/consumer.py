"""The consumer runner: at-least-once delivery made exactly-once in effect by the inbox.

For each record: decode the CloudEvent, then in one transaction record (consumer, source, id) in the
inbox and run the handler; offsets are committed only after that transaction. A failing handler is
retried with backoff a bounded number of times, then the record goes to ``hope.dlq`` with headers
saying which consumer, why and after how many attempts, and the partition moves on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from tenacity import AsyncRetrying, retry_if_not_exception_type, stop_after_attempt, wait_exponential

from hopekit import metrics
from hopekit.events import cloudevent
from hopekit.events.cloudevent import MalformedEvent, ReceivedEvent
from hopekit.events.kafka import DLQ_TOPIC, RenewingProducer
from hopekit.events.subscriptions import BatchApply, Subscription, process, process_batch
from hopekit.uow import UnitOfWork

log = logging.getLogger(__name__)

U = TypeVar("U", bound=UnitOfWork)


class PermanentEventError(Exception):
    """An event that no retry can make acceptable (a handler raises it to go straight to the DLQ)."""


STOP_TIMEOUT_S = 10.0
# How old the consumer's picture of the topics may get. A group assigned while a restarting broker did not yet list
# a topic's partitions gives its members none of them; aiokafka joins again once its metadata shows them, which by
# default it refreshes every five minutes: the consumer sat idle that long (issue 12, fault test seed 7: 1,517
# registrations not applied by training).
METADATA_MAX_AGE_MS = 10_000

_PERMANENT = (PermanentEventError, ValidationError, MalformedEvent)

# A poll's transaction chosen as a deadlock's victim is applied again, whole, this many times at most before its
# records go one by one (the victim was rolled back whole). A safety net: reporting's groups, which write rows of
# the same people (``fact_people``, a statement per kind of fact), write those tables under one lock.
DEADLOCK = "40P01"
BATCH_DEADLOCK_ATTEMPTS = 3


async def process_poll(
    consumer: str, uow_factory: Callable[[], U], events: Sequence[ReceivedEvent], batch: BatchApply
) -> int:
    """``process_batch`` in a new unit of work, again when the transaction was a deadlock's victim."""
    attempt = 1
    while True:
        try:
            return await process_batch(consumer, uow_factory(), events, batch)
        except DBAPIError as error:
            if attempt == BATCH_DEADLOCK_ATTEMPTS or sqlstate(error) != DEADLOCK:
                raise
            log.warning("%s: a poll chosen as a deadlock's victim, applied again (attempt %d)", consumer, attempt)
            attempt += 1


def sqlstate(error: DBAPIError) -> str | None:
    """The PostgreSQL error code of a driver's error (asyncpg's, as SQLAlchemy wraps it)."""
    return getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)


def decode_record(record: ConsumerRecord[bytes, bytes]) -> ReceivedEvent:
    """The CloudEvent a Kafka record carries (``MalformedEvent`` when it carries none)."""
    return cloudevent.decode(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers=record.headers,
    )


async def abandon(consumer: AIOKafkaConsumer) -> None:
    """Silence a consumer whose ``stop`` did not finish: its background tasks are cancelled and its connections
    closed (aiokafka internals, guarded).

    A stop cut short leaves the group coordinator's heartbeat running: the broker keeps the member, and the
    partitions assigned to it, for as long as it beats (up to ``max_poll_interval_ms``, five minutes), while nothing
    reads them. The consumer started after it was then assigned the other partitions only, and the events of those
    partitions waited. Without its heartbeat the member is dropped after the session timeout (ten seconds) and its
    partitions go to the consumer that replaces it.
    """
    coordinator = getattr(consumer, "_coordinator", None)
    fetcher = getattr(consumer, "_fetcher", None)
    tasks = [
        getattr(coordinator, "_heartbeat_task", None),
        getattr(coordinator, "_coordination_task", None),
        getattr(coordinator, "_commit_refresh_task", None),
        getattr(fetcher, "_fetch_task", None),
    ]
    for task in tasks:
        if isinstance(task, asyncio.Task) and not task.done():
            task.cancel()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(consumer._client.close(), STOP_TIMEOUT_S)


class EventConsumer(Generic[U]):
    def __init__(
        self,
        *,
        name: str,
        topics: Sequence[str],
        bootstrap: str,
        uow_factory: Callable[[], U],
        handlers: Mapping[str, Subscription[U, Any]],
        dlq_producer: AIOKafkaProducer | RenewingProducer,
        max_attempts: int = 5,
        backoff_s: float = 0.2,
        batch: BatchApply | None = None,
    ) -> None:
        self.name = name
        self._topics = list(topics)
        self._bootstrap = bootstrap
        self._uow_factory = uow_factory
        self._handlers = dict(handlers)
        self._dlq = dlq_producer
        self._max_attempts = max_attempts
        self._backoff_s = backoff_s
        self._batch = batch
        self.processed_total = 0
        self.dead_lettered_total = 0

    async def run(self) -> None:
        consumer = AIOKafkaConsumer(
            *self._topics,
            bootstrap_servers=self._bootstrap,
            group_id=self.name,
            client_id=self.name,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            metadata_max_age_ms=METADATA_MAX_AGE_MS,
        )
        await consumer.start()
        try:
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=500)
                metrics.record_lag(self.name, consumer, batches)
                if self._batch is not None and batches:
                    await self.handle_batch([record for records in batches.values() for record in records])
                positions: dict[TopicPartition, int] = {}
                for partition, records in batches.items():
                    if self._batch is None:
                        for record in records:
                            await self.handle(record)
                    positions[TopicPartition(partition.topic, partition.partition)] = records[-1].offset + 1
                # One commit for the poll (a crash before it replays the poll, which the inbox makes harmless).
                if positions:
                    await self._commit(consumer, positions)
        finally:
            # Leaving the group can wait on a busy coordinator (a commit retried while the broker is away).
            try:
                await asyncio.wait_for(consumer.stop(), STOP_TIMEOUT_S)
            except TimeoutError:
                log.warning("consumer %s did not leave its group within %ss", self.name, STOP_TIMEOUT_S)
                await abandon(consumer)

    async def _commit(self, consumer: AIOKafkaConsumer, positions: dict[TopicPartition, int]) -> None:
        """Commit the poll's positions on the partitions this member still holds. A member joining or leaving the
        group while a poll was applied deals the partitions again: those taken from this member are not its to
        commit (aiokafka refuses them, and a commit under the group's former generation fails). Their records were
        applied and their inbox rows committed; the partitions' new owner reads them again from the last committed
        offset and its inbox leaves them out. Raising here stopped the consumer, whose restart rejoined the group
        and dealt the partitions once more (every replica's start set its peers' consumers off again)."""
        held = consumer.assignment()
        kept = {partition: offset for partition, offset in positions.items() if partition in held}
        try:
            if kept:
                await consumer.commit(kept)
        except (CommitFailedError, IllegalStateError) as error:
            kept = {}
            log.info(
                "%s: the group was dealt again during a poll, its offsets left to the new owners (%s)", self.name, error
            )
        if len(kept) < len(positions):
            metrics.OFFSETS_LEFT.labels(self.name).inc(len(positions) - len(kept))

    async def handle(self, record: ConsumerRecord[bytes, bytes]) -> None:
        try:
            event = decode_record(record)
        except MalformedEvent as error:
            await self._dead_letter(record, str(error), attempts=1)
            return
        handler = self._handlers.get(event.type)
        if handler is None:
            return  # consumers ignore event types they do not use
        attempts = 0
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self._max_attempts),
                wait=wait_exponential(multiplier=self._backoff_s, max=10),
                retry=retry_if_not_exception_type(_PERMANENT),
                reraise=True,
            ):
                with attempt:
                    attempts += 1
                    await self._apply(handler, event)
        except Exception as error:
            log.warning("event %s from %s dead-lettered after %d attempt(s)", event.id, event.source, attempts)
            await self._dead_letter(record, f"{type(error).__name__}: {error}", attempts=attempts)

    async def handle_batch(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        """The poll's records in one transaction (``process_poll``: again if a deadlock's victim). A malformed
        record is dead-lettered as ``handle`` does; when the batch fails, nothing of it was written and every
        record goes through ``handle`` (its retries isolate the record at fault and dead-letter it alone)."""
        assert self._batch is not None
        events: list[ReceivedEvent] = []
        rest: list[ConsumerRecord[bytes, bytes]] = []
        for record in records:
            try:
                event = decode_record(record)
            except MalformedEvent:
                rest.append(record)
                continue
            if event.type in self._handlers:
                events.append(event)
        try:
            if events:
                self.processed_total += await process_poll(self.name, self._uow_factory, events, self._batch)
        except Exception as error:
            log.warning("batch of %d events failed (%r): applying them one by one", len(events), error)
            rest = list(records)
        for record in rest:
            await self.handle(record)

    async def _apply(self, handler: Subscription[U, Any], event: ReceivedEvent) -> None:
        if await process(self.name, self._uow_factory(), handler, event):
            self.processed_total += 1

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], reason: str, attempts: int) -> None:
        headers = [
            *(record.headers or ()),
            ("hope_dlq_consumer", self.name.encode()),
            ("hope_dlq_reason", reason[:1000].encode()),
            ("hope_dlq_attempts", str(attempts).encode()),
            ("hope_dlq_topic", record.topic.encode()),
            ("hope_dlq_partition", str(record.partition).encode()),
            ("hope_dlq_offset", str(record.offset).encode()),
        ]
        await self._dlq.send_and_wait(DLQ_TOPIC, value=record.value, key=record.key, headers=headers)
        self.dead_lettered_total += 1
        metrics.DEAD_LETTERS.labels(self.name).inc()
