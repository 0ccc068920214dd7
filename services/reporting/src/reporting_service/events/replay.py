"""Rebuilding the read models from history: every domain topic read from its beginning into a new version beside
the active one, which is switched to once the rebuild has caught up.

Why nothing is lost or counted twice: the new version is created (``building``) before the topics' ends are
read, and from then on the live consumers write every event to it as well; the rebuild reads each partition up
to the end it saw, so each event reaches the new version from the rebuild, the live consumers or both, and the
read models' writes make a second application change nothing (``adapters/tables``). Events are applied in
batches, one transaction per batch, set-based as the live consumers' polls (``service_layer.ingest.apply_events``;
no inbox row: the version is new, and applying twice is harmless).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from hopekit.events.cloudevent import MalformedEvent, ReceivedEvent
from hopekit.events.consumer import decode_record
from hopekit.events.subscriptions import ConsumerSpec, Subscription
from hopekit.uow import Database
from reporting_service.adapters import completeness, versions
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.service_layer.ingest import apply_events

log = logging.getLogger(__name__)

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
        self._bootstrap = bootstrap
        self._topics = sorted({topic for spec in specs for topic in spec.topics})
        self._handlers = handlers_of(specs)
        self._batch_size = batch_size

    async def run(
        self,
        *,
        on_total: Callable[[int], None] = lambda total: None,
        on_progress: Progress = lambda n: None,
        keep_previous: bool = False,
    ) -> Rebuilt:
        async with self._database.engine.begin() as connection:
            version = await versions.start_building(connection)
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._bootstrap,
            enable_auto_commit=False,
            isolation_level="read_committed",
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        await consumer.start()
        try:
            applied, read, refused = await self._read_all(consumer, version, on_total, on_progress)
        except BaseException:
            async with self._database.engine.begin() as connection:
                await versions.drop(connection, version)
            raise
        finally:
            await consumer.stop()
        async with self._database.engine.begin() as connection:
            retired = await versions.activate(connection, version)
            if not keep_previous:
                for old in retired:
                    await versions.drop(connection, old)
        completeness.forget_marks()
        return Rebuilt(version, applied, read, refused, retired)

    async def _read_all(
        self, consumer: AIOKafkaConsumer, version: int, on_total: Callable[[int], None], on_progress: Progress
    ) -> tuple[int, int, int]:
        partitions = await self._partitions()
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        starts: Mapping[TopicPartition, int] = await consumer.beginning_offsets(partitions)
        ends: Mapping[TopicPartition, int] = await consumer.end_offsets(partitions)
        on_total(sum(ends[p] - starts[p] for p in partitions))
        pending = {p for p in partitions if ends[p] > starts[p]}
        applied = read = refused = 0
        while pending:
            batches = await consumer.getmany(*pending, timeout_ms=1000, max_records=self._batch_size)
            records = [r for p, rs in batches.items() for r in rs if r.offset < ends[p]]
            if records:
                done, bad = await self._apply(version, records)
                applied, read, refused = applied + done, read + len(records), refused + bad
                on_progress(len(records))
            for partition in list(pending):
                if await consumer.position(partition) >= ends[partition]:
                    pending.discard(partition)
        return applied, read, refused

    async def _partitions(self) -> list[TopicPartition]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap)
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
        consumers sent it to the dead letters)."""
        applied = refused = 0
        events: list[ReceivedEvent] = []
        for record in records:
            try:
                events.append(decode_record(record))
            except MalformedEvent:
                refused += 1
        uow = ReportingUnitOfWork(self._database, pinned=version)
        async with uow:
            applied, invalid = await apply_events(uow, self._handlers, events, skip_invalid=True)
            await uow.commit()
        return applied, refused + invalid
