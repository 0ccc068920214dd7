"""Import of a 100,000-row attendance CSV through HTTP on PostgreSQL, events included.

The training service runs as its own uvicorn process on a fresh database with Kafka. Its projection of
enrolment is fed through its own consumer (enrolment events produced on ``hope.enrolment.events``). A
cohort of 100 people follows 2 years of sessions (100 weeks, morning and afternoon on weekdays: 1,000
sessions); the sheet is the file a provider exports from a spreadsheet: UTF-8 with BOM, ``;``, French
dates, statuses and decimal commas, a comment column with a few quoted multi-line comments, and 100 rows
for someone outside the cohort. The timed run is the upload until the report (every row checked, marks
and one event per session sheet committed), then until the last event is read back from
``hope.training.events``. Re-importing the same file must change nothing. Peak resident memory of the
service process is read from /proc (VmHWM).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.environment import BenchEnvironment
from benchmarks.processes import cpu_seconds, current_rss_mb, peak_rss_mb, spawn_uvicorn, wait_ready
from benchmarks.report import Report
from hope_contracts import EventContract, enrolment
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hopekit.db.migrations import upgrade
from hopekit.events import cloudevent
from hopekit.events.kafka import make_producer
from hopekit.events.outbox import outbox_row
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer

TRAINING_ROOT = Path(__file__).resolve().parents[1] / "services" / "training"
TRAINING_TOPIC = "hope.training.events"
RECORDED = "fr.hope.training.session.attendance_recorded.v1"
ALERT = "fr.hope.training.absence_alert.raised.v1"
PEOPLE = 100
WEEKS = 100
STRANGER_ROWS = 100
SLOTS = (("09:00", "12:30"), ("13:30", "17:00"))


class CpuMeter:
    """CPU time spent by the service process and by the PostgreSQL backends of its database: on a
    shared machine, a figure that other people's work does not inflate the way it inflates wall time."""

    def __init__(self, service: TrainingProcess) -> None:
        self._service = service
        self._start: dict[int, float] = {}

    async def _backends(self) -> list[int]:
        url = self._service.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
        connection = await asyncpg.connect(url)
        try:
            rows = await connection.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await connection.close()
        return [row["pid"] for row in rows]

    async def start(self) -> None:
        pids = [self._service.process.pid, *await self._backends()]
        self._start = {pid: cpu_seconds(pid) for pid in pids}

    async def stop(self) -> tuple[float, float]:
        """(service, database) CPU seconds since ``start``."""
        service_pid = self._service.process.pid
        database = 0.0
        for pid in {*self._start, *await self._backends()} - {service_pid}:
            database += max(0.0, cpu_seconds(pid) - self._start.get(pid, 0.0))
        return cpu_seconds(service_pid) - self._start[service_pid], database


@dataclass
class TrainingProcess:
    """The training service running as its own process, and what a benchmark needs to talk to it."""

    base: str
    database_url: str
    process: subprocess.Popen[bytes]
    issuer: TokenIssuer
    bootstrap: str
    provider: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def provider_headers(self) -> dict[str, str]:
        return self.issuer.headers(OrgKind.TRAINING_PROVIDER, Role.WRITER, org_id=self.provider)


@contextlib.asynccontextmanager
async def training_process(environment: BenchEnvironment) -> AsyncIterator[TrainingProcess]:
    issuer = TokenIssuer.create(environment.work_dir)
    port = find_free_port()
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, TRAINING_ROOT, url)
        env = {
            "HOPE_TRAINING_DATABASE_URL": url,
            "HOPE_TRAINING_KAFKA_BOOTSTRAP": environment.kafka_bootstrap,
            "HOPE_TRAINING_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
            "HOPE_TRAINING_JWT_ISSUER": TEST_ISSUER,
            "HOPE_TRAINING_JWT_AUDIENCE": TEST_AUDIENCE,
            "HOPE_TRAINING_LOG_LEVEL": "WARNING",
            "HOPE_TRAINING_VAR_DIR": str(environment.work_dir / "training-var"),
        }
        process = spawn_uvicorn("training_service.main:create_app", port, env)
        try:
            found = TrainingProcess(f"http://127.0.0.1:{port}", url, process, issuer, environment.kafka_bootstrap)
            await wait_ready(found.base, process, "training")
            yield found
        finally:
            process.terminate()
            process.wait(timeout=20)


async def publish_enrolment(bootstrap: str, contracts: Iterable[EventContract]) -> None:
    """Enrolment's events, as enrolment's relay would send them."""
    producer = make_producer(bootstrap, client_id="bench-enrolment")
    await producer.start()
    try:
        futures = []
        for contract in contracts:
            row = outbox_row(contract)
            key, value, headers = cloudevent.encode(
                event_id=row["event_id"],
                source="/hope/enrolment",
                type_=row["type"],
                subject=row["subject"],
                time=row["occurred_at"],
                key=row["key"],
                payload=row["payload"],
            )
            futures.append(await producer.send(row["topic"], value=value, key=key, headers=headers))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def enrol_cohort(
    service: TrainingProcess, cohort: uuid.UUID, people: list[uuid.UUID], steps: tuple[int, ...], *, outsider: uuid.UUID
) -> None:
    """A cohort trained by the service's provider, its members' steps started, and one person outside it;
    then waits until the service's consumer has put them all in its projection."""
    from training_service.adapters.tables import participant_steps, participants

    now = datetime.now(UTC)
    contracts: list[EventContract] = [
        enrolment.CohortCreated(
            cohort_id=cohort,
            sector_code="logistics",
            region="11",
            track="group",
            training_provider_org_id=service.provider,
            support_provider_org_id=uuid.uuid4(),
            capacity=len(people),
            occurred_at=now,
        ),
        enrolment.BeneficiaryRegistered(
            beneficiary_id=outsider,
            track="group",
            protection_status="refugee",
            registered_by_org_id=uuid.uuid4(),
            occurred_at=now,
        ),
    ]
    contracts += [
        enrolment.StepStarted(beneficiary_id=person, step=step, track="group", cohort_id=cohort, occurred_at=now)
        for person in people
        for step in steps
    ]
    await publish_enrolment(service.bootstrap, contracts)
    engine = create_async_engine(service.database_url)
    try:
        deadline = time.perf_counter() + 180
        while time.perf_counter() < deadline:
            async with engine.connect() as connection:
                started = await connection.scalar(
                    select(func.count())
                    .select_from(participant_steps)
                    .where(participant_steps.c.beneficiary_id.in_(people), participant_steps.c.cohort_id == cohort)
                )
                known = await connection.scalar(
                    select(func.count()).select_from(participants).where(participants.c.beneficiary_id == outsider)
                )
            if started == len(people) * len(steps) and known == 1:
                return
            await asyncio.sleep(0.2)
    finally:
        await engine.dispose()
    raise RuntimeError("the training consumer did not project the cohort in time")


def weekdays_between(first: date, weeks: int) -> list[date]:
    return [first + timedelta(days=7 * week + day) for week in range(weeks) for day in range(5)]


async def open_course(
    client: httpx.AsyncClient,
    service: TrainingProcess,
    *,
    cohort: uuid.UUID,
    step: int,
    first: date,
    weeks: int,
    slots: Iterable[tuple[str, str, str]],
    support_french_hours: str | None = None,
) -> str:
    """A course over ``weeks`` weeks from Monday ``first``, with a session per weekday for each slot."""
    last = first + timedelta(days=7 * weeks - 3)
    body: dict[str, Any] = {
        "step": step,
        "cohort_id": str(cohort),
        "provider_org_id": str(service.provider),
        "starts_on": first.isoformat(),
        "ends_on": last.isoformat(),
    }
    if support_french_hours is not None:
        body["support_french_hours"] = support_french_hours
    response = await client.post("/v1/courses", json=body, headers=service.provider_headers)
    response.raise_for_status()
    course_id: str = response.json()["id"]
    for starts_at, ends_at, kind in slots:
        created = await client.post(
            f"/v1/courses/{course_id}/sessions/weekly",
            json={
                "from": first.isoformat(),
                "until": last.isoformat(),
                "weekdays": [0, 1, 2, 3, 4],
                "starts_at": starts_at,
                "ends_at": ends_at,
                "kind": kind,
                "trainer": "Mme Bernard",
                "place": "Salle 3",
            },
            headers=service.provider_headers,
        )
        created.raise_for_status()
    return course_id


def _mark(rng: random.Random, struggling: bool) -> tuple[str, str]:
    draw = rng.random()
    if struggling:
        return ("absent", "0") if draw < 0.35 else ("présent", "")
    if draw < 0.90:
        return "présent", rng.choice(("", "3,5", "3,50"))
    if draw < 0.94:
        return "présent", rng.choice(("2,5", "1,75", "3"))
    if draw < 0.97:
        return "excusé", "0"
    return "absent", "0"


def write_sheet(
    path: Path,
    people: list[uuid.UUID],
    days: list[date],
    starts: Iterable[str],
    *,
    outsider: uuid.UUID | None,
    outsider_rows: int,
    seed: int = 42,
) -> int:
    """The CSV a provider would export: the rows written (a multi-line quoted comment now and then)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, no secret
    struggling = set(people[:: max(1, len(people) // 3)][:3])
    slots = [(day, start) for day in days for start in starts]
    replaced = set(rng.sample(range(len(slots) * len(people)), outsider_rows)) if outsider else set()
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("beneficiary_id;date;start;status;hours;commentaire\r\n")
        for day, start in slots:
            stamp = day.strftime("%d/%m/%Y")
            for person in people:
                status, hours = _mark(rng, person in struggling)
                who = outsider if written in replaced else person
                comment = ""
                if written % 997 == 0:
                    comment = '"Arrivé en retard ; bus en grève\r\nprévenu le formateur"'
                out.write(f"{who};{stamp};{start};{status};{hours};{comment}\r\n")
                written += 1
    return written


class EventCounter:
    """Reads ``hope.training.events`` from its end and counts one course's events by type."""

    def __init__(self, bootstrap: str, course_ids: set[str]) -> None:
        self._consumer = AIOKafkaConsumer(
            TRAINING_TOPIC,
            bootstrap_servers=bootstrap,
            group_id=f"bench-training-{uuid.uuid4().hex[:6]}",
            auto_offset_reset="latest",
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        self._course_ids = course_ids
        self._task: asyncio.Task[None] | None = None
        self.counts: dict[str, int] = {}
        self.entries = 0
        self.last_at = 0.0

    async def __aenter__(self) -> EventCounter:
        await self._consumer.start()
        while not self._consumer.assignment():
            await asyncio.sleep(0.05)
        await self._consumer.seek_to_end()
        for partition in self._consumer.assignment():
            await self._consumer.position(partition)
        self._task = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def _read(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=100)
            for records in batch.values():
                for record in records:
                    headers = dict(record.headers or ())
                    kind = headers.get("ce_type", b"").decode()
                    payload = json.loads(record.value or b"{}")
                    if payload.get("course_id") not in self._course_ids:
                        continue
                    self.counts[kind] = self.counts.get(kind, 0) + 1
                    self.entries += len(payload.get("entries", ()))
                    self.last_at = time.perf_counter()

    def total(self) -> int:
        return sum(self.counts.values())

    async def wait_for(self, expected: int, timeout_s: float = 60) -> bool:
        deadline = time.perf_counter() + timeout_s
        while self.total() < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        return self.total() >= expected


async def upload(
    client: httpx.AsyncClient, service: TrainingProcess, course_id: str, content: bytes, **params: str
) -> dict[str, Any]:
    response = await client.post(
        "/v1/attendance-imports",
        params={"course_id": course_id, **params},
        files={"file": ("presences.csv", content, "text/csv")},
        headers=service.provider_headers,
    )
    if response.status_code != 200:
        raise RuntimeError(f"import answered {response.status_code}: {response.text[:500]}")
    report: dict[str, Any] = response.json()
    return report


async def run(environment: BenchEnvironment, report: Report) -> None:
    cohort, outsider = uuid.uuid4(), uuid.uuid4()
    people = [uuid.uuid4() for _ in range(PEOPLE)]
    today = datetime.now(UTC).date()
    first = today - timedelta(days=today.weekday() + 7 * WEEKS)
    async with training_process(environment) as service:
        await enrol_cohort(service, cohort, people, (3,), outsider=outsider)
        async with httpx.AsyncClient(base_url=service.base, timeout=300) as client:
            course_id = await open_course(
                client,
                service,
                cohort=cohort,
                step=3,
                first=first,
                weeks=WEEKS,
                slots=[(start, end, "core") for start, end in SLOTS],
            )
            sheet = environment.work_dir / "attendance-100k.csv"
            rows = await asyncio.to_thread(
                write_sheet,
                sheet,
                people,
                weekdays_between(first, WEEKS),
                [start for start, _ in SLOTS],
                outsider=outsider,
                outsider_rows=STRANGER_ROWS,
            )
            content = sheet.read_bytes()
            rss_before = current_rss_mb(service.process.pid)
            meter = CpuMeter(service)
            async with EventCounter(service.bootstrap, {course_id}) as events:
                await meter.start()
                started = time.perf_counter()
                first_report = await upload(client, service, course_id, content)
                answered = time.perf_counter() - started
                service_cpu, database_cpu = await meter.stop()
                written = first_report["sessions_published"] + first_report["alerts_raised"]
                relayed = await events.wait_for(written)
                relayed_at = (events.last_at or time.perf_counter()) - started
                seen = dict(events.counts)
                entries = events.entries

                again_started = time.perf_counter()
                second_report = await upload(client, service, course_id, content)
                again = time.perf_counter() - again_started
                await asyncio.sleep(1.5)
                extra = events.total() - sum(seen.values())
            rss = peak_rss_mb(service.process.pid)
    problems = _check(first_report, second_report, rows, extra)
    section = f"training import ({rows:,} rows, {len(content) / 1e6:.1f} MB CSV, PostgreSQL + Kafka)"
    report.add(section, "upload -> report (rows checked, marks + events committed)", f"{answered:.2f} s", "<= 5 s")
    report.add(section, "upload -> last event read from Kafka", f"{relayed_at:.2f} s", "<= 5 s")
    report.add(section, "rows/s (upload -> report)", f"{rows / answered:,.0f}")
    report.add(section, "CPU during the import: service / PostgreSQL", f"{service_cpu:.2f} s / {database_cpu:.2f} s")
    report.add(
        section,
        "rows applied / rejected",
        f"{first_report['applied']:,} / {first_report['rejected']:,}",
        f"{rows - STRANGER_ROWS:,} / {STRANGER_ROWS}",
    )
    report.add(
        section,
        "events written / read back",
        f"{written:,} / {sum(seen.values()):,}" + ("" if relayed else " (TIMED OUT)"),
        "equal",
    )
    report.add(
        section,
        "  of which sheets / alerts read back",
        f"{seen.get(RECORDED, 0):,} ({entries:,} entries) / {seen.get(ALERT, 0):,}",
    )
    report.add(section, "re-import of the same file (applied 0, no event)", f"{again:.2f} s")
    report.add(section, "service RSS before import / peak", f"{rss_before:.0f} MB / {rss:.0f} MB", "peak < 300 MB")
    report.add(section, "checks (rows, rejections, re-import)", "; ".join(problems) or "ok", "ok")


def _check(first: dict[str, Any], second: dict[str, Any], rows: int, extra_events: int) -> list[str]:
    """What went wrong, if anything: the figures only count when the import did what it must."""
    problems = []
    if first["rows_read"] != rows:
        problems.append(f"rows read {first['rows_read']} != {rows}")
    if first["applied"] != rows - STRANGER_ROWS:
        problems.append(f"applied {first['applied']} != {rows - STRANGER_ROWS}")
    reasons = sorted({r["reason"] for r in first["rejections"]})
    if reasons != ["not_in_cohort"]:
        problems.append(f"rejection reasons {reasons}")
    if (second["applied"], second["unchanged"], second["sessions_published"]) != (0, rows - STRANGER_ROWS, 0):
        problems.append(f"re-import applied {second['applied']}, published {second['sessions_published']}")
    if extra_events:
        problems.append(f"re-import published {extra_events} events")
    return problems
