"""Reporting's live path from Kafka: the history published on the domain topics, then read by the service's own
consumers, in one process or in replicas, as a started service runs them (``hopekit.runtime.EventRuntime``: one
consumer group per topic, each poll decoded from CloudEvents and applied in one transaction, its offsets committed
after). Where the in-process live path (``reporting_live``) starts from decoded events, this figure has all of it:
Kafka's fetches, the decoding, the transactions and the offsets' commits.

The replicas run on asyncio's own event loop; the services run on uvloop (uvicorn's choice when it is installed,
as ``uvicorn[standard]`` installs it). Measured alike (2026-12-06, one process, 100,000 events, scratch runs taking
turns): 4,911 and 5,125 events/s on asyncio's loop (168 and 170 us of CPU per event), 4,519 and 5,134 on uvloop
(194 and 169 us). Also tried there and left: the collector's young threshold at 25,000 instead of 10,000 (104
young collections instead of 394, but 1.51 s in them instead of 1.28: a poll's objects are alive when it runs, and
each collection walks more of them); polls of 1,000 records instead of 500 (medians 5,186 against 5,014 events/s,
three runs each; the middle generation's collections took 0.95 s instead of 0.37, at most 88 ms each).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Barrier, Event
from typing import Any

from aiokafka import AIOKafkaProducer

from benchmarks.reporting_live import held_history
from hope_contracts import EventContract
from hopekit.db.engine import make_engine
from hopekit.runtime import EventRuntime
from hopekit.testing import kafka_record
from hopekit.uow import Database
from reporting_service.adapters.tables import kit
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS
from reporting_service.settings import ReportingSettings

HANDLED = frozenset(subscription.contract.event_type for spec in CONSUMERS for subscription in spec.subscriptions)
# The consumers have applied nothing more for this long: something is wrong (a poll failing again and again).
STALLED_S = 60.0


async def publish(bootstrap: str, contracts: Iterable[EventContract]) -> float:
    """The events published on their topics as the services' relays publish them (CloudEvents in binary mode, keyed
    by their partition key); the seconds it took."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, linger_ms=20)
    await producer.start()
    started = time.perf_counter()
    try:
        pending = []
        for contract in contracts:
            key, value, headers = kafka_record(contract, time=getattr(contract, "occurred_at"))  # noqa: B009
            pending.append(await producer.send(contract.topic(), value=value, key=key, headers=headers))
            if len(pending) >= 5_000:
                await asyncio.gather(*pending)
                pending = []
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return time.perf_counter() - started


@dataclass
class Counted:
    """The contracts passed through, counting those reporting's consumers apply (``HANDLED``)."""

    contracts: Iterable[EventContract]
    handled: int = 0

    def __iter__(self) -> Iterator[EventContract]:
        for contract in self.contracts:
            self.handled += contract.event_type in HANDLED
            yield contract


@dataclass
class FromKafka:
    """A run of the consumers: events applied, seconds from their start to the last poll's commit (the groups'
    joining included), and the replicas' CPU per event (Kafka's client and the decoding included)."""

    applied: int
    seconds: float
    cpu_us_per_event: float

    @property
    def rate(self) -> float:
        return self.applied / self.seconds


def consume(bootstrap: str, url: str, expected: int, replicas: int = 1) -> FromKafka:
    """Reporting's consumers in ``replicas`` processes (members of the same groups, which Kafka deals the
    partitions between), on the database at ``url``, until together they have applied ``expected`` events. Groups
    of their own (a name no run used before), so that they read the topics from their beginning."""
    context = multiprocessing.get_context("spawn")
    ready, stop, results = context.Barrier(replicas + 1), context.Event(), context.Queue()
    counts = [context.Value("q", 0) for _ in range(replicas)]
    service_name = f"reporting-bench-{uuid.uuid4().hex[:8]}"
    processes = [
        context.Process(target=_replica, args=(bootstrap, url, service_name, count, ready, stop, results), daemon=True)
        for count in counts
    ]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=STALLED_S)
        started = time.monotonic()
        applied = _applied(processes, counts, expected)
        seconds = time.monotonic() - started
        stop.set()
        cpu_s = sum(results.get(timeout=STALLED_S) for _ in processes)
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    return FromKafka(applied, seconds, cpu_s / applied * 1e6)


def _applied(processes: Sequence[BaseProcess], counts: Sequence[Synchronized[int]], expected: int) -> int:
    """Waits until the replicas have applied ``expected`` events together (what they applied), or raises when one
    fails or they stall."""
    applied, progressed = 0, time.monotonic()
    while applied < expected:
        time.sleep(0.02)
        if any(process.exitcode not in (None, 0) for process in processes):
            raise RuntimeError(f"a replica failed: exit codes {[process.exitcode for process in processes]}")
        now = sum(count.value for count in counts)
        if now > applied:
            applied, progressed = now, time.monotonic()
        elif time.monotonic() - progressed > STALLED_S:
            raise RuntimeError(f"consumers stalled at {applied:,} of {expected:,} events")
    return applied


def _replica(
    bootstrap: str, url: str, service_name: str, count: Synchronized[int], ready: Barrier, stop: Event, results: Any
) -> None:
    """One replica's process: its consumers started once every replica is ready, the events they applied kept in
    ``count``, stopped when ``stop`` is set; its CPU seconds sent."""
    results.put(asyncio.run(_serve(bootstrap, url, service_name, count, ready, stop)))


async def _serve(
    bootstrap: str, url: str, service_name: str, count: Synchronized[int], ready: Barrier, stop: Event
) -> float:
    settings = ReportingSettings(
        service_name=service_name,
        database_url=url,
        kafka_bootstrap=bootstrap,
        relay_enabled=False,
        scheduled_jobs_enabled=False,
    )
    engine = make_engine(url)
    database = Database(engine=engine, tables=kit)
    runtime = EventRuntime(settings, database, lambda: ReportingUnitOfWork(database), CONSUMERS)
    try:
        async with engine.connect():  # the pool's first connection, made before the clock
            pass
        with held_history():
            await asyncio.to_thread(ready.wait)
            cpu = time.process_time()
            runtime.start()
            while not stop.is_set():
                await asyncio.sleep(0.02)
                count.value = sum(consumer.processed_total for consumer in runtime.consumers)
            return time.process_time() - cpu
    finally:
        await runtime.stop()
        await engine.dispose()
