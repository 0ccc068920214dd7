"""Reporting's live path in two replicas of the service: the consumer groups' partitions shared between two
processes, as Kafka shares them between two members of each group.

The service runs its consumers in its own process (``hopekit.app``); a second replica joins every consumer group,
and Kafka gives each member a share of each topic's partitions (``hope_infra.kafka.topics``: 6 a topic). Here,
in process and without Kafka as in ``reporting_ingest``'s live path: the history's events are put on their
partitions by their key (Kafka's default partitioner, murmur2), each topic's partitions dealt between the
replicas as the range assignor deals them (the first half to the first member), and each replica applies its
share as the service's consumer tasks do, its groups at once. Both write the same
database; the clock starts when both are ready (their start, their connections and the history are not in it)
and stops when the last is done.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import queue
import time
from collections.abc import Sequence
from multiprocessing.synchronize import Barrier
from typing import Any

from aiokafka.partitioner import DefaultPartitioner

from benchmarks.reporting_live import apply_polls, held_history, polls_of
from hopekit.db.engine import make_engine
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.uow import Database
from reporting_service.adapters.tables import kit

REPLICAS = 2
PARTITIONS = 6  # a platform topic's (``hope_infra.kafka.topics.ensure_topics``)


def partition_of(key: str | None) -> int:
    """The partition a record with this key goes to (every platform event has one: its partition key)."""
    assert key is not None
    partition: int = DefaultPartitioner()(key.encode(), list(range(PARTITIONS)), [])
    return partition


def shares(events: Sequence[ReceivedEvent], replicas: int = REPLICAS) -> list[list[ReceivedEvent]]:
    """Each replica's events, in their order: each on the partition of its key, partition p of every topic to
    replica p * replicas // PARTITIONS (the range assignor, one topic at a time)."""
    dealt: list[list[ReceivedEvent]] = [[] for _ in range(replicas)]
    for event in events:
        partition = partition_of(event.key)
        dealt[partition * replicas // PARTITIONS].append(dataclasses.replace(event, partition=partition))
    return dealt


def _replica(url: str, events: list[ReceivedEvent], ready: Barrier, results: Any) -> None:
    """One replica's process: its share applied once every replica is ready; (start, end, CPU seconds) sent."""
    results.put(asyncio.run(_apply(url, events, ready)))


async def _apply(url: str, events: list[ReceivedEvent], ready: Barrier) -> tuple[float, float, float]:
    engine = make_engine(url)
    try:
        database = Database(engine=engine, tables=kit)
        async with engine.connect():  # the pool's first connection, made before the clock
            pass
        polls = polls_of(events)
        with held_history():
            await asyncio.to_thread(ready.wait)
            # CLOCK_MONOTONIC: one clock for every process of the machine.
            started, cpu = time.monotonic(), time.process_time()
            await apply_polls(database, polls, at_once=True)
            return started, time.monotonic(), time.process_time() - cpu
    finally:
        await engine.dispose()


def run_replicas(url: str, events: Sequence[ReceivedEvent], replicas: int = REPLICAS) -> tuple[float, float]:
    """The events applied by ``replicas`` processes on the database at ``url``: (events per second, CPU of the
    replicas per event in microseconds)."""
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(replicas)
    results = context.Queue()
    processes = [
        context.Process(target=_replica, args=(url, share, ready, results), daemon=True)
        for share in shares(events, replicas)
    ]
    for process in processes:
        process.start()
    try:
        # A replica that fails sends nothing: its exit code says so, rather than a wait with no end.
        measured: list[tuple[float, float, float]] = []
        while len(measured) < replicas:
            if any(process.exitcode not in (None, 0) for process in processes):
                raise RuntimeError(f"a replica failed: exit codes {[process.exitcode for process in processes]}")
            try:
                measured.append(results.get(timeout=1))
            except queue.Empty:  # look at the processes again
                continue
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    started = min(start for start, _, _ in measured)
    ended = max(end for _, end, _ in measured)
    cpu = sum(seconds for _, _, seconds in measured)
    return len(events) / (ended - started), cpu / len(events) * 1e6
