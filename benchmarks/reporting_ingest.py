"""Reporting on PostgreSQL: events into the read models, live and in a rebuild from Kafka.

1. Live path: ``LIVE_EVENTS`` events of a programme's history (``reporting_stream``) through the consumer's
   batch path, a poll of up to ``BATCH`` records per consumer group at a time, the groups taking turns, then
   (``RUNS`` times, each on a database of its own, the median shown) all at once as the service's consumer
   tasks run (``hopekit.events.consumer.process_poll``: inbox rows, order marks, the facts of every fed version
   written set-based, the completeness marks, one commit per poll; a poll chosen as a deadlock's victim applied
   again, as the consumer does). In process, without Kafka: the service's cost per record, not the broker's (the
   relay section measures the broker), nor the CloudEvent's decoding (about 24 us of CPU per event, measured
   apart). The events carry no ``sequence`` (``hope_infra.testing.received``): a poll's two order-mark
   statements (``hopekit.events.ordering.advance_many``) are not in these figures. Then the same in two replicas
   of the service, each consumer group's partitions shared between two processes (``reporting_replicas``),
   ``RUNS`` times.
2. From Kafka: ``LIVE_KAFKA_EVENTS`` events published on the domain topics, then read by the service's own consumers
   (``reporting_kafka``: Kafka's fetches, the CloudEvents' decoding, the polls' transactions and the offsets'
   commits), in one process then in ``REPLICAS``, ``RUNS`` times each; the clock includes the groups' joining.
3. Rebuild: ``events`` records (by default 1,000,000, the target's size) on the domain topics (the second path's
   and more), then ``hope-reporting rebuild``'s ``Replay`` reads every topic from its beginning into a new
   version, ``BATCH`` events per transaction, in one process per CPU (each topic's partitions shared among them),
   and switches to it. ``python -m benchmarks.reporting_ingest --events N`` (or ``HOPE_BENCH_REPORTING_EVENTS``)
   runs fewer, and the time for 1,000,000 is then extrapolated from their rate (too low: the processes' start is a
   second of a small run).

Both paths fold a batch's writes per row key in memory and write each table once per batch
(``reporting_service.adapters.pending``); the tables several groups write (a person's row and steps) last, under
one lock (``reporting_service.adapters.facts.take_writer_lock``): two groups' polls no longer lock them crosswise
(issue 17).

Figures (``python3 -m uv run --frozen python -m benchmarks reporting_ingest``, 2 cores shared with other work; the
1-minute load from ``uptime`` before and after). At the branch's base (7e12e15), load 1.60 -> 1.62: at once 7,414
events/s, in turns 6,833, 100 us of CPU per event, 15.8 statements per poll; rebuild 192 us per event, 4.3 min
for 1,000,000 extrapolated. With the lock and the sheets' difference worked out once (issue 17), load 1.72 ->
1.60: at once 7,952 events/s, in turns 7,889, 86 us, 16.5 statements (the lock's, in the polls that write people);
rebuild 155 us per event, 3.2 min; again at load 1.48 -> 2.41: 7,400, 7,016, 95 us, 16.5; rebuild 167 us, 4.2 min.
The rates follow the machine's load, the CPU per event less so (the live path alone, run again and again: 83 to
101 us per event at loads 1.7 to 6.6). At full size (``--events 1000000``, c3b5971, nothing else running, load
1.6 at the start): live at once 6,990 events/s, in turns 7,168, 99 us per event; 1,000,000 events published in
78 s, then rebuilt in 196.7 s (3.3 min; 5,085 events/s, 132 us of CPU per event, 14.8 statements per batch).
On a slower machine (2026-12-06, nothing else running, load about 1), in one process, a rebuild's batches no longer
noting the cohorts due (``versions.activate`` sums the version whole): 1,000,000 events in 280.1 s (202 us of CPU
per event; the machine 60 % busy, the rebuild's process one core); the topics shared between two processes: 240.2
and 249.3 s (4.0 and 4.2 min, 201 and 207 us of CPU per event over both). Live path, same day, five runs: at once
5,025 to 6,077 events/s, in turns 3,702 to 5,624 (122 to 192 us of CPU per event: the same code gave 130 to 214 us
from run to run). On another machine of the same kind (2026-12-06, later; the same live path 187 to 249 us per
event there), a poll's hours folded once (``adapters.hours``), the whole section: at once 3,401 events/s, two
replicas 4,320 (272 us per event over both), in turns 3,305 (202 us); 1,000,000 events published in 212.3 s,
rebuilt in 377.5 s (6.3 min, 279 us per event). On a third machine (2026-12-06, later still), before and after
the partitions shared by the rebuild's processes (not whole topics) and a batch giving the event loop a turn every
16 events: at once 5,947 events/s, two replicas 6,976, in turns 4,692; rebuild 266.1 s (4.4 min, 201 us); then
three runs of the section: at once 5,604, 4,497, and 4,428 as the median of three (4,038 to 5,660), two replicas
8,895, 4,991, and 6,528 as the median of three (6,516 to 7,066; 171 us per event), in turns 5,107, 4,701,
4,114; rebuilt in 169.4, 178.1 and 183.9 s (2.8 to 3.1 min, 185 to 210 us per event). On a fourth machine
(2026-12-06, nothing else running), the same code: at once 6,999 (6,879 to 7,701), two replicas 9,220, in turns
6,668 (99 us), rebuilt in 165.1 s (2.8 min); then with the path from Kafka: at once 6,188, two replicas 8,463, from
Kafka in one process 4,060 (3,913 to 4,811; 171 to 211 us per event, Kafka's client, the decoding and the broker
on the same two cores), in two 5,693 (4,997 to 6,489), in turns 5,257, rebuilt in 172.4 s (2.9 min). On a fifth
(2026-12-06, later still, nothing else running), the section twice at 06401f2: at once 7,068 and 6,980, two
replicas 10,025 and 8,841, from Kafka in one process 5,225 (5,121 to 5,280; 162 to 165 us per event) and 5,003
(4,896 to 5,248; 165 to 177 us), in two 6,242 (6,116 to 6,756) and 6,715 (6,553 to 6,870), in turns 5,975 and
7,644, rebuilt in 150.1 and 148.5 s (2.5 min, 184 and 185 us per event).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event as engine_events
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.environment import BenchEnvironment, bench_environment
from benchmarks.report import Report
from benchmarks.reporting_kafka import Counted, FromKafka, consume, publish
from benchmarks.reporting_live import BATCH, apply_polls, held_history, polls_of
from benchmarks.reporting_replicas import REPLICAS, run_replicas
from benchmarks.reporting_stream import history
from hope_infra.testing import received
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.uow import Database
from reporting_service.adapters.tables import kit
from reporting_service.events.replay import Replay

SERVICE_ROOT = Path(__file__).resolve().parents[1] / "services" / "reporting"
LIVE_EVENTS = int(os.environ.get("HOPE_BENCH_REPORTING_LIVE_EVENTS", "20000"))
FULL_REBUILD = 1_000_000
# Measured at the target's size: a rebuild slows as the tables grow (100,000 events went 20 % faster than 1,000,000).
REBUILD_EVENTS = int(os.environ.get("HOPE_BENCH_REPORTING_EVENTS", str(FULL_REBUILD)))
SECTION = "reporting_ingest"
# The live path's runs of 20,000 events last a few seconds, and the same code gave rates twice as far apart from
# one run of the section to the next on one machine (2026-12-06): each is run this many times, the median shown.
RUNS = int(os.environ.get("HOPE_BENCH_REPORTING_LIVE_RUNS", "3"))
# Published first, read by the service's consumers from Kafka (``reporting_kafka``), then part of the rebuild's.
LIVE_KAFKA_EVENTS = int(os.environ.get("HOPE_BENCH_REPORTING_KAFKA_EVENTS", "100000"))


@dataclass
class Measured:
    """A run's rate, and what does not depend on the machine's load: this process's CPU per event and the
    statements sent per transaction (an executemany counts once)."""

    rate: float
    cpu_us_per_event: float
    statements_per_transaction: float


class _Statements:
    """Counts the statements the engine sends."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        engine_events.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


async def _live(database: Database, statements: _Statements, *, at_once: bool = False) -> Measured:
    """Each consumer group's events in polls of ``BATCH``, the groups taking turns, or ``at_once``."""
    polls = polls_of(received(contract) for contract in history(LIVE_EVENTS))
    count = sum(len(poll) for group in polls.values() for poll in group)
    with held_history():
        sent, cpu, started = statements.count, time.process_time(), time.perf_counter()
        await apply_polls(database, polls, at_once=at_once)
        elapsed = time.perf_counter() - started
    transactions = sum(len(group) for group in polls.values())
    return Measured(
        count / elapsed, (time.process_time() - cpu) / count * 1e6, (statements.count - sent) / transactions
    )


def _cpu_with_children() -> float:
    """CPU seconds of this process and of its children that ended (a rebuild's other processes, once stopped)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


async def _new_databases(environment: BenchEnvironment) -> AsyncIterator[str]:
    """``RUNS`` databases of their own, one after the other, each migrated (a run's events would all be duplicates
    in the last run's)."""
    for _ in range(RUNS):
        async with environment.database() as url:
            await asyncio.to_thread(upgrade, SERVICE_ROOT, url)
            yield url


async def _live_in_replicas(environment: BenchEnvironment, report: Report) -> None:
    """The live path in two replicas of the service, on a database of their own (``reporting_replicas``), ``RUNS``
    times."""
    events = [received(contract) for contract in history(LIVE_EVENTS)]
    rates: list[float] = []
    cpus: list[float] = []
    async for url in _new_databases(environment):
        rate, cpu_us = await asyncio.to_thread(run_replicas, url, events)
        rates.append(rate)
        cpus.append(cpu_us)
    report.add(
        SECTION,
        f"live path in {REPLICAS} replicas of the service, the partitions shared ({LIVE_EVENTS:,} events;"
        f" median of {RUNS} runs: {_runs(rates)})",
        f"{statistics.median(rates):,.0f} events/s",
        ">= 5,000 events/s",
    )
    report.add(
        SECTION,
        f"live path in {REPLICAS} replicas, CPU of the replicas per event ({_runs(cpus)})",
        f"{statistics.median(cpus):,.0f} us",
    )


async def _live_at_once(environment: BenchEnvironment, report: Report) -> None:
    """The live path again, ``RUNS`` times, each on a database of its own."""
    rates: list[float] = []
    async for url in _new_databases(environment):
        engine = make_engine(url)
        try:
            live = await _live(Database(engine=engine, tables=kit), _Statements(engine), at_once=True)
        finally:
            await engine.dispose()
        rates.append(live.rate)
    report.add(
        SECTION,
        f"live path, the consumer groups at once as the service runs them ({LIVE_EVENTS:,} events; median of"
        f" {RUNS} runs: {_runs(rates)})",
        f"{statistics.median(rates):,.0f} events/s",
        ">= 5,000 events/s",
    )


def _runs(values: list[float]) -> str:
    return ", ".join(f"{value:,.0f}" for value in values)


async def _live_from_kafka(environment: BenchEnvironment, report: Report) -> int:
    """``LIVE_KAFKA_EVENTS`` events published, then read by the service's consumers (``reporting_kafka``), ``RUNS``
    times (each on a database of its own, in consumer groups of its own); how many were published."""
    published = Counted(history(LIVE_KAFKA_EVENTS))
    published_s = await publish(environment.kafka_bootstrap, published)
    report.add(SECTION, f"{LIVE_KAFKA_EVENTS:,} events published on the topics", f"{published_s:.1f} s")
    for replicas in (1, REPLICAS):
        runs: list[FromKafka] = []
        async for url in _new_databases(environment):
            runs.append(await asyncio.to_thread(consume, environment.kafka_bootstrap, url, published.handled, replicas))
        rates = [run.rate for run in runs]
        report.add(
            SECTION,
            f"live path from Kafka, the service's consumers in {replicas} process(es) (those events read, decoded"
            f" and applied, the groups' joining included; median of {RUNS} runs: {_runs(rates)})",
            f"{statistics.median(rates):,.0f} events/s",
            ">= 5,000 events/s",
        )
        report.add(
            SECTION,
            f"live path from Kafka in {replicas} process(es), their CPU per event, Kafka's client and the decoding"
            f" included ({_runs([run.cpu_us_per_event for run in runs])})",
            f"{statistics.median(run.cpu_us_per_event for run in runs):,.0f} us",
        )
    return LIVE_KAFKA_EVENTS


async def run(environment: BenchEnvironment, report: Report, events: int = REBUILD_EVENTS) -> None:
    await _live_at_once(environment, report)
    await _live_in_replicas(environment, report)
    on_topics = await _live_from_kafka(environment, report)
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, SERVICE_ROOT, url)
        engine = make_engine(url)
        database = Database(engine=engine, tables=kit)
        statements = _Statements(engine)
        try:
            live = await _live(database, statements)
            report.add(
                SECTION,
                f"live path, one transaction per poll of {BATCH}, the groups taking turns ({LIVE_EVENTS:,} events)",
                f"{live.rate:,.0f} events/s",
                ">= 5,000 events/s",
            )
            report.add(
                SECTION,
                "live path, CPU of this process per event; statements per poll",
                f"{live.cpu_us_per_event:,.0f} us; {live.statements_per_transaction:.1f}",
            )
            more = max(events - on_topics, 0)
            published_s = await publish(environment.kafka_bootstrap, history(more))
            report.add(
                SECTION,
                f"{more:,} events more published on the topics ({on_topics + more:,} in all)",
                f"{published_s:.1f} s",
            )
            replay = Replay(database, environment.kafka_bootstrap, BATCH)
            cpu, started = _cpu_with_children(), time.perf_counter()
            rebuilt = await replay.run()
            rebuild_s = time.perf_counter() - started
            rebuild_cpu = _cpu_with_children() - cpu
        finally:
            await engine.dispose()
    rate = rebuilt.records_read / rebuild_s
    report.add(
        SECTION,
        f"rebuild of {rebuilt.records_read:,} records ({rebuilt.events_applied:,} applied), batches of {BATCH},"
        f" {replay.workers} process(es)",
        f"{rebuild_s:.1f} s, {rate:,.0f} events/s",
    )
    report.add(
        SECTION,
        "rebuild, CPU of its processes per event (Kafka's client included; the writer's statements are the live"
        " path's)",
        f"{rebuild_cpu / max(rebuilt.records_read, 1) * 1e6:,.0f} us",
    )
    measured = "measured" if rebuilt.records_read >= FULL_REBUILD else f"extrapolated from {rebuilt.records_read:,}"
    report.add(
        SECTION, f"rebuild of {FULL_REBUILD:,} events ({measured})", f"{FULL_REBUILD / rate / 60:.1f} min", "<= 5 min"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reporting_ingest")
    parser.add_argument("--events", type=int, default=REBUILD_EVENTS, help="records to publish and rebuild from")
    args = parser.parse_args()
    report = Report()
    with bench_environment() as environment:
        asyncio.run(run(environment, report, args.events))
    report.print()


if __name__ == "__main__":
    main()
