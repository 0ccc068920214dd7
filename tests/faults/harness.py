"""The pieces of the fault test: processes to hurt, a seeded fault schedule, a load that counts what was
acknowledged, and a reading of the topic that counts what is lost, stuck, duplicated or out of order."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from hope_infra.supervisor import Supervisor
from hopekit.db.kit_tables import KitTables


@dataclass(frozen=True)
class Target:
    """Something the schedule can kill or pause: ``pids`` gives its current process ids."""

    name: str
    pids: Callable[[], Sequence[int]]


async def keep_running(supervisor: Supervisor, until: asyncio.Event) -> None:
    """Restart what dies until the run ends (each restart in its own thread: a killed service never waits behind
    the local Kafka's blocking restart, which held training back 53 s with seed 215366)."""
    while not until.is_set():
        await asyncio.to_thread(supervisor.check)
        await asyncio.sleep(0.5)


async def until_all_running(supervisor: Supervisor, within_s: float) -> None:
    """Until every process runs again (a broker killed as the faults end is still starting while the outbox may
    already be empty: CI once read the wire from a broker half way through its restart and could not bootstrap).
    The watcher (``keep_running``) does the restarting."""
    deadline = time.monotonic() + within_s
    while not supervisor.all_running():
        if time.monotonic() > deadline:
            raise AssertionError(f"not every process was running again within {within_s:.0f} s")
        await asyncio.sleep(0.5)


@dataclass
class FaultLog:
    injected: list[str] = field(default_factory=list)


async def inject_faults(
    targets: Sequence[Target], seed: int, duration_s: float, log: FaultLog, every_s: tuple[float, float] = (6, 12)
) -> None:
    """Until ``duration_s`` has passed: at seeded random moments, kill -9 or pause (SIGSTOP, then SIGCONT after
    a few seconds) one seeded random target. A supervisor elsewhere restarts what was killed."""
    chooser = random.Random(seed)
    deadline = time.monotonic() + duration_s
    while True:
        await asyncio.sleep(chooser.uniform(*every_s))
        if time.monotonic() > deadline:
            return
        target = chooser.choice(targets)
        fault = chooser.choice(["kill", "pause"])
        pids = list(target.pids())
        if not pids:
            continue
        if fault == "kill":
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            log.injected.append(f"kill -9 {target.name}")
        else:
            pause_s = chooser.uniform(1, 5)
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGSTOP)
            await asyncio.sleep(pause_s)
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
            log.injected.append(f"pause {target.name} {pause_s:.1f}s")


@dataclass
class Acknowledged:
    """Writes the service answered 2xx, per person, in the order they were made."""

    writes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    refused: int = 0

    @property
    def total(self) -> int:
        return sum(len(writes) for writes in self.writes.values())


async def drive_load(
    base: str,
    writer_headers: dict[str, str],
    operator_headers: dict[str, str],
    duration_s: float,
    acknowledged: Acknowledged,
    workers: int = 4,
) -> None:
    """Each worker registers a person, then puts them on hold and resumes them, over and over: several events per
    key. A write is retried with its Idempotency-Key while the service is down; only a 2xx answer counts."""
    deadline = time.monotonic() + duration_s

    async def write(client: httpx.AsyncClient, path: str, body: dict[str, object], headers: dict[str, str]) -> str:
        key = uuid.uuid4().hex
        while time.monotonic() < deadline + 30:
            try:
                answer = await client.post(path, json=body, headers={**headers, "Idempotency-Key": key})
            except httpx.HTTPError:
                await asyncio.sleep(0.5)
                continue
            if answer.status_code < 300:
                return str(answer.json()["id"])
            if answer.status_code >= 500:
                await asyncio.sleep(0.5)
                continue
            acknowledged.refused += 1
            return ""
        return ""

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            while time.monotonic() < deadline:
                body: dict[str, object] = {
                    "given_name": "Fault",
                    "family_name": f"Test-{uuid.uuid4().hex[:10]}",
                    "birth_date": "1990-01-01",
                    "nationality": "AFG",
                    "protection_status": "refugee",
                }
                person = await write(client, "/v1/beneficiaries", body, writer_headers)
                if not person:
                    continue
                acknowledged.writes[person].append("registered")
                for action in ("put_on_hold", "resume", "put_on_hold", "resume"):
                    if time.monotonic() > deadline:
                        break
                    payload: dict[str, object] = {"action": action}
                    if action == "put_on_hold":
                        payload["reason_code"] = "training_break"
                    path = f"/v1/beneficiaries/{person}/pathway/transitions"
                    done = await write(client, path, payload, operator_headers)
                    if done:
                        acknowledged.writes[person].append(action)

    await asyncio.gather(*(worker() for _ in range(workers)))


async def wait_for_outbox(database_url: str, tables: KitTables, settle_s: float) -> int:
    """Rows still unpublished once the outbox drained or ``settle_s`` passed (stuck rows)."""
    engine = create_async_engine(database_url)
    try:
        deadline = time.monotonic() + settle_s
        while True:
            async with engine.connect() as connection:
                waiting = int(
                    await connection.scalar(
                        select(func.count()).select_from(tables.outbox).where(tables.outbox.c.published_at.is_(None))
                    )
                    or 0
                )
            if waiting == 0 or time.monotonic() > deadline:
                return waiting
            await asyncio.sleep(1)
    finally:
        await engine.dispose()


@dataclass
class WireReport:
    events: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    per_key: dict[str, list[int]] = field(default_factory=dict)


async def read_wire(bootstrap: str, topic: str) -> WireReport:
    """Every record of ``topic`` from the start; per key, the sequence numbers in offset order."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        numbers = await consumer._client._wait_on_metadata(topic)  # aiokafka has no public "partitions of" that waits
        partitions = [TopicPartition(topic, p) for p in sorted(numbers)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        sequences: dict[str, list[int]] = defaultdict(list)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batches = await consumer.getmany(timeout_ms=1000)
            for tp, records in batches.items():
                for record in records:
                    headers = dict(record.headers or ())
                    if record.key is not None and "ce_sequence" in headers:
                        sequences[record.key.decode()].append(int(headers["ce_sequence"]))
                if records and records[-1].offset + 1 >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await consumer.stop()
    report = WireReport(per_key=dict(sequences))
    for numbers in sequences.values():
        report.events += len(numbers)
        report.duplicates += sum(count - 1 for count in Counter(numbers).values())
        seen: set[int] = set()
        highest = 0
        for number in numbers:
            # The first copy of an event arriving after a later event of its key is out of order; a resend of an
            # event already delivered is a duplicate, which consumers drop.
            if number not in seen and number < highest:
                report.out_of_order += 1
            seen.add(number)
            highest = max(highest, number)
    return report


def lost(acknowledged: Acknowledged, wire: WireReport) -> int:
    """Acknowledged writes whose event never reached the topic (each write makes at least one event of its person,
    numbered 1, 2, ... in write order: a person with n acknowledged writes must show every number up to n)."""
    return sum(
        len(set(range(1, len(writes) + 1)) - set(wire.per_key.get(person, [])))
        for person, writes in acknowledged.writes.items()
    )


async def describe_consumer_group(bootstrap: str, group: str, topic: str) -> str:
    """Where a consumer group stands on ``topic``: per partition its committed offset against the end of the log,
    and the group's state and members (a stalled consumer shows here whether it is assigned nothing, stuck on one
    partition or behind on all)."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    await admin.start()
    await reader.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        numbers = await reader._client._wait_on_metadata(topic)
        partitions = [TopicPartition(topic, p) for p in sorted(numbers)]
        ends = await reader.end_offsets(partitions)
        behind = [
            f"{tp.partition}: {committed[tp].offset if tp in committed else '-'}/{ends[tp]}"
            for tp in partitions
            if tp not in committed or committed[tp].offset < ends[tp]
        ]
        groups = await admin.describe_consumer_groups([group])
        # DescribeGroups answers (error, group, state, protocol type, protocol, members (id, client id, ...)).
        members = [(found[2], [member[1] for member in found[5]]) for answer in groups for found in answer.groups]
        return f"group {group} on {topic}: partitions behind (committed/end) {behind or 'none'}; state {members}"
    except Exception as error:  # a diagnosis must not hide the failure it explains
        return f"group {group}: could not be described ({error!r})"
    finally:
        await reader.stop()
        await admin.close()


def log_tail(path: str | os.PathLike[str], lines: int = 40) -> str:
    """The last lines of a service's log, for a failure's report."""
    with contextlib.suppress(OSError), open(path, errors="replace") as log:
        return "".join(log.readlines()[-lines:])
    return "(no log)"


async def metric_total(base: str, sample: str, **labels: str) -> float:
    """The sum of a Prometheus sample's values on a service's /metrics whose labels include ``labels`` (0 when the
    service does not answer: a figure for the report, not a check)."""
    from prometheus_client.parser import text_string_to_metric_families

    try:
        async with httpx.AsyncClient(timeout=5) as client:
            text = (await client.get(f"{base}/metrics")).text
    except httpx.HTTPError:
        return 0.0
    return sum(
        found.value
        for family in text_string_to_metric_families(text)
        for found in family.samples
        if found.name == sample and all(found.labels.get(key) == value for key, value in labels.items())
    )
