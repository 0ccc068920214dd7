"""Rebuilding the read models from history: every domain topic read from its beginning into a new version beside
the active one, which is switched to once the rebuild has caught up.

Why nothing is lost or counted twice: the new version is created (``building``) before the topics' ends are
read, and from then on the live consumers write every event to it as well; the rebuild reads each partition up
to the end it saw, so each event reaches the new version from the rebuild, the live consumers or both, and the
read models' writes make a second application change nothing (``adapters/tables``). Events are applied in
batches, one transaction per batch, set-based as the live consumers' polls (``service_layer.ingest.apply_events``;
no inbox row: the version is new, and applying twice is harmless). Each topic is read by a reader of its own, all
at once, each partition's batches in order, as the live consumer groups apply their polls: what a batch reads (a
session's lines, a claim's approved lines) only events of the same key write, and those are on the same
partition. With ``workers`` above one (PostgreSQL), the partitions are shared among that many processes, this one
and others spawned (``replay_processes``), each share about the same part of every topic, as two live replicas
share each consumer group's partitions: the readers' Python work was the rebuild's bottleneck, one core busy while
the database used a fifth of the other.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from multiprocessing import Queue
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy.exc import DBAPIError

from hopekit.db.engine import make_engine
from hopekit.events.cloudevent import MalformedEvent, ReceivedEvent
from hopekit.events.consumer import DEADLOCK, decode_record, sqlstate
from hopekit.events.subscriptions import ConsumerSpec, Subscription
from hopekit.uow import Database
from reporting_service.adapters import completeness, versions
from reporting_service.adapters.tables import kit
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS
from reporting_service.events.replay_processes import Bounds, Counts, ShareProcess, end_with_parent
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
    """Reads the service's topics (``CONSUMERS``) from their beginning up to their ends as they were when it
    started."""

    def __init__(self, database: Database, bootstrap: str, batch_size: int = 500, workers: int | None = None) -> None:
        """``workers``: the processes sharing the partitions, by default one per CPU (at most one per partition)."""
        self._database = database
        self.bootstrap = bootstrap
        self._topics = sorted({topic for spec in CONSUMERS for topic in spec.topics})
        self._handlers = handlers_of(CONSUMERS)
        self.batch_size = batch_size
        # SQLite writes one transaction at a time: other processes would only wait for it.
        postgres = database.engine.dialect.name == "postgresql"
        self.workers = max(1, workers or os.cpu_count() or 1) if postgres else 1

    async def run(
        self,
        *,
        on_total: Callable[[int], None] = lambda total: None,
        on_progress: Progress = lambda n: None,
        keep_previous: bool = False,
    ) -> Rebuilt:
        async with self._database.engine.begin() as connection:
            version = await versions.start_building(connection)
        freezing = _freeze_so_far()
        others: list[ShareProcess] = []
        try:
            # The ends are read once the new version exists: what arrives later the live consumers write to it.
            bounds = await self._bounds()
            on_total(sum(end - first for _, _, first, end in bounds))
            here, *elsewhere = shares(bounds, self.workers)
            url = self._database.engine.url.render_as_string(hide_password=False)
            for share in elsewhere:
                others.append(ShareProcess(_read_in_process, url, self.bootstrap, version, share, self.batch_size))
            counts = await _all_or_none(
                [self.read_share(version, here, on_progress), *(other.result(on_progress) for other in others)]
            )
        except BaseException:
            for other in others:
                other.stop()
            async with self._database.engine.begin() as connection:
                await versions.drop(connection, version)
            raise
        finally:
            if freezing:
                gc.unfreeze()
        for other in others:
            other.stop()
        applied, read, refused = (sum(column) for column in zip(*counts, strict=True))
        async with self._database.engine.begin() as connection:
            retired = await versions.activate(connection, version)
            if not keep_previous:
                for old in retired:
                    await versions.drop(connection, old)
        completeness.forget_marks()
        return Rebuilt(version, applied, read, refused, retired)

    async def read_share(self, version: int, share: Sequence[Bounds], on_progress: Progress) -> Counts:
        """The share's partitions read into ``version``, one reader per topic, all at once: the read models do
        not depend on the order across topics, and one topic's transaction is written while another's is
        prepared."""
        readers: list[_TopicReader] = []
        try:
            for topic in sorted({bounds[0] for bounds in share}):
                readers.append(_TopicReader(self, version, [bounds for bounds in share if bounds[0] == topic]))
                await readers[-1].start()
            counts = await _all_or_none([reader.read(on_progress) for reader in readers])
        finally:
            for reader in readers:
                await reader.stop()
        applied, read, refused = (sum(column) for column in zip(*counts, strict=True)) if counts else (0, 0, 0)
        return applied, read, refused

    async def _bounds(self) -> list[Bounds]:
        """Every partition of the topics, with its first offset and its end now."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics(self._topics)
        finally:
            await admin.close()
        partitions = sorted(
            TopicPartition(topic["topic"], partition["partition"])
            for topic in described
            for partition in topic["partitions"]
        )
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, isolation_level="read_committed")
        await consumer.start()
        try:
            firsts = await consumer.beginning_offsets(partitions)
            ends = await consumer.end_offsets(partitions)
        finally:
            await consumer.stop()
        return [(p.topic, p.partition, firsts[p], ends[p]) for p in partitions]

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


def _freeze_so_far() -> bool:
    """Keep the process's objects so far (modules, tables, schemas) out of the collector's full passes while the
    rebuild runs: its millions of short-lived objects set those passes off, which walked all of them (a fifth of
    the rebuild's CPU per event). Not when the process froze its objects itself: that stays. Whether it froze."""
    if gc.get_freeze_count():
        return False
    gc.collect()
    gc.freeze()
    return True


def shares(bounds: Sequence[Bounds], workers: int) -> list[list[Bounds]]:
    """The partitions shared among at most ``workers`` processes (a partition whole: its batches in order, as the
    live consumer member that holds it applies them). Each topic's partitions, the largest first, go to the share
    with the fewest of that topic's records so far (then the fewest in all), so that each share holds about the
    same part of every topic, and so of every kind of work: a topic whole per share, the shares even in records,
    left one process alone for the last quarter of a rebuild (a training sheet costs more than a registration).
    The smallest share first (this process's: it also relays the others' progress)."""
    count = max(1, min(workers, len(bounds)))
    taken: list[list[Bounds]] = [[] for _ in range(count)]
    totals = [0] * count
    by_topic: dict[str, list[Bounds]] = {}
    for partition in bounds:
        by_topic.setdefault(partition[0], []).append(partition)
    for topic in sorted(by_topic, key=lambda topic: (-_records(by_topic[topic]), topic)):
        of_topic = [0] * count
        for partition in sorted(by_topic[topic], key=lambda partition: (-_records([partition]), partition[1])):
            least = min(range(count), key=lambda share: (of_topic[share], totals[share]))
            taken[least].append(partition)
            records = _records([partition])
            of_topic[least] += records
            totals[least] += records
    # Each share has a partition at least: one with none has the fewest records, and takes the next partition.
    order = sorted(range(count), key=totals.__getitem__)
    return [sorted(taken[share]) for share in order]


def _records(bounds: Sequence[Bounds]) -> int:
    return sum(end - first for _, _, first, end in bounds)


async def _all_or_none(awaitables: Sequence[Awaitable[Counts]]) -> list[Counts]:
    """Every result, or the first error once the others are cancelled (readers that would go on writing a
    version about to be dropped)."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _read_in_process(
    messages: Queue[tuple[str, Any]], url: str, bootstrap: str, version: int, share: list[Bounds], batch_size: int
) -> None:
    """A share's process (``ShareProcess``): reads its share into the version, then reports its counts or its
    error."""
    end_with_parent()
    try:
        counts = asyncio.run(_read_alone(url, bootstrap, version, share, batch_size, messages))
    except BaseException as error:
        messages.put(("failed", f"{type(error).__name__}: {error}"))
        raise
    messages.put(("done", counts))


async def _read_alone(
    url: str, bootstrap: str, version: int, share: list[Bounds], batch_size: int, messages: Queue[tuple[str, Any]]
) -> Counts:
    engine = make_engine(url)
    try:
        _freeze_so_far()
        replay = Replay(Database(engine=engine, tables=kit), bootstrap, batch_size)
        return await replay.read_share(version, share, lambda count: messages.put(("progress", count)))
    finally:
        await engine.dispose()


class _TopicReader:
    """One topic's partitions read from their first offsets up to the ends the rebuild saw, on a consumer of its
    own."""

    def __init__(self, replay: Replay, version: int, bounds: list[Bounds]) -> None:
        self._replay, self._version = replay, version
        self._partitions = [TopicPartition(topic, partition) for topic, partition, _, _ in bounds]
        self._firsts = {TopicPartition(topic, partition): first for topic, partition, first, _ in bounds}
        self._ends = {TopicPartition(topic, partition): end for topic, partition, _, end in bounds}
        self._started = False
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=replay.bootstrap,
            enable_auto_commit=False,
            isolation_level="read_committed",
            auto_offset_reset="earliest",
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        self._pending = {p for p in self._partitions if self._ends[p] > self._firsts[p]}

    async def start(self) -> None:
        """Assigned, each partition at its first offset."""
        consumer = self._consumer
        await consumer.start()
        self._started = True
        consumer.assign(self._partitions)
        for partition in self._partitions:
            consumer.seek(partition, self._firsts[partition])

    async def read(self, on_progress: Progress) -> Counts:
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
