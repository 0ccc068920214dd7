"""Rebuilding the read models from history: every domain topic read from its beginning into a new version beside
the active one, which is switched to once the rebuild has caught up.

Why nothing is lost or counted twice: the new version is created (``building``) before the topics' ends are
read, and from then on the live consumers write every event to it as well; the rebuild reads each partition up
to the end it saw, so each event reaches the new version from the rebuild, the live consumers or both, and the
read models' writes make a second application change nothing (``adapters/tables``). Events are applied in
batches, one transaction per batch, set-based as the live consumers' polls (``service_layer.ingest.apply_events``;
no inbox row: the version is new, and applying twice is harmless). Each topic is read by a reader of its own, all
at once, each topic's batches in order, as the live consumer groups apply their polls: what one topic's batch
reads (a session's lines, a claim's payment) only that topic writes.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy.exc import DBAPIError

from hopekit.events.cloudevent import MalformedEvent, ReceivedEvent
from hopekit.events.consumer import DEADLOCK, decode_record, sqlstate
from hopekit.events.subscriptions import ConsumerSpec, Subscription
from hopekit.uow import Database
from reporting_service.adapters import completeness, versions
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.service_layer.ingest import apply_events

log = logging.getLogger(__name__)

DEADLOCK_ATTEMPTS = 5

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Rebuilt:
    version: int
    events_applied: int
    records_read: int
    records_refused: int
    retired: Sequence[int]


def handlers_of(specs: Sequence[ConsumerSpec]) -> dict[str, Subscription[Any, Any]]:
    return {event_type: handler for spec in specs for event_type, handler in spec.handlers.items()}


class Replay:
    """Reads the topics of ``specs`` from their beginning up to their ends as they were when it started."""

    def __init__(
        self, database: Database, bootstrap: str, specs: Sequence[ConsumerSpec], batch_size: int = 500
    ) -> None:
        self._database = database
        self.bootstrap = bootstrap
        self._topics = sorted({topic for spec in specs for topic in spec.topics})
        self._handlers = handlers_of(specs)
        self.batch_size = batch_size

    async def run(
        self,
        *,
        on_total: Callable[[int], None] = lambda total: None,
        on_progress: Progress = lambda n: None,
        keep_previous: bool = False,
    ) -> Rebuilt:
        async with self._database.engine.begin() as connection:
            version = await versions.start_building(connection)
        readers: list[_TopicReader] = []
        # The process's objects so far (modules, tables, schemas) are kept out of the collector's full passes while
        # the rebuild runs: its millions of short-lived objects set those passes off, which walked all of them
        # (a fifth of the rebuild's CPU per event). Not when the process froze its objects itself: that stays.
        freezing = gc.get_freeze_count() == 0
        if freezing:
            gc.collect()
            gc.freeze()
        try:
            partitions = await self._partitions()
            for topic in self._topics:
                readers.append(_TopicReader(self, version, [p for p in partitions if p.topic == topic]))
                await readers[-1].start()
            on_total(sum(reader.total for reader in readers))
            # One reader per topic at once, as the live consumer groups run: the read models do not depend on the
            # order across topics, and one topic's transaction is written while another's is prepared.
            counts = await asyncio.gather(*(reader.read(on_progress) for reader in readers))
        except BaseException:
            for reader in readers:
                await reader.stop()
            async with self._database.engine.begin() as connection:
                await versions.drop(connection, version)
            raise
        finally:
            if freezing:
                gc.unfreeze()
        for reader in readers:
            await reader.stop()
        applied, read, refused = (sum(column) for column in zip(*counts, strict=True)) if counts else (0, 0, 0)
        async with self._database.engine.begin() as connection:
            retired = await versions.activate(connection, version)
            if not keep_previous:
                for old in retired:
                    await versions.drop(connection, old)
        completeness.forget_marks()
        return Rebuilt(version, applied, read, refused, retired)

    async def _partitions(self) -> list[TopicPartition]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics(self._topics)
        finally:
            await admin.close()
        return sorted(
            TopicPartition(topic["topic"], partition["partition"])
            for topic in described
            for partition in topic["partitions"]
        )

    async def _apply(self, version: int, records: list[ConsumerRecord[bytes, bytes]]) -> tuple[int, int]:
        """One transaction for the batch; a record no consumer could read is counted and skipped (the live
        consumers sent it to the dead letters). A batch chosen as a deadlock's victim (another topic's
        transaction locked the same people's rows) is applied again: it was rolled back whole."""
        refused = 0
        events: list[ReceivedEvent] = []
        for record in records:
            try:
                events.append(decode_record(record))
            except MalformedEvent:
                refused += 1
        attempt = 1
        while True:
            try:
                uow = ReportingUnitOfWork(self._database, pinned=version)
                async with uow:
                    applied, invalid = await apply_events(uow, self._handlers, events, skip_invalid=True)
                    await uow.commit()
                return applied, refused + invalid
            except DBAPIError as error:
                if attempt == DEADLOCK_ATTEMPTS or sqlstate(error) != DEADLOCK:
                    raise
                log.warning("rebuild batch chosen as a deadlock's victim, applied again (attempt %d)", attempt)
                attempt += 1


class _TopicReader:
    """One topic read from its beginning up to the end it had when the rebuild started, on a consumer of its own."""

    def __init__(self, replay: Replay, version: int, partitions: list[TopicPartition]) -> None:
        self._replay, self._version, self._partitions = replay, version, partitions
        self._ends: Mapping[TopicPartition, int] = {}
        self.total = 0
        self._started = False
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=replay.bootstrap,
            enable_auto_commit=False,
            isolation_level="read_committed",
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        self._pending: set[TopicPartition] = set()

    async def start(self) -> None:
        """Assigned and at the beginning; ``total``: how many records it will read."""
        consumer = self._consumer
        await consumer.start()
        self._started = True
        consumer.assign(self._partitions)
        await consumer.seek_to_beginning(*self._partitions)
        starts: Mapping[TopicPartition, int] = await consumer.beginning_offsets(self._partitions)
        self._ends = await consumer.end_offsets(self._partitions)
        self._pending = {p for p in self._partitions if self._ends[p] > starts[p]}
        self.total = sum(self._ends[p] - starts[p] for p in self._partitions)

    async def read(self, on_progress: Progress) -> tuple[int, int, int]:
        consumer, ends = self._consumer, self._ends
        applied = read = refused = 0
        while self._pending:
            batches = await consumer.getmany(*self._pending, timeout_ms=1000, max_records=self._replay.batch_size)
            records = [r for p, rs in batches.items() for r in rs if r.offset < ends[p]]
            if records:
                done, bad = await self._replay._apply(self._version, records)
                applied, read, refused = applied + done, read + len(records), refused + bad
                on_progress(len(records))
            for partition in list(self._pending):
                if await consumer.position(partition) >= ends[partition]:
                    self._pending.discard(partition)
        return applied, read, refused

    async def stop(self) -> None:
        if self._started:
            self._started = False
            await self._consumer.stop()
