"""Support on PostgreSQL as its own uvicorn process (with Kafka): the privacy path's latency and the gap list.

- Medical note read: 200 people in step 3 (their files opened by enrolment's records on Kafka), one 2 kB medical
  note each; `POST /v1/notes/{id}/reads` with a reason (unwrap + decrypt + audit rows + commit) at a steady
  50 requests/s. Target p99 <= 20 ms.
- Person's file read: `GET /v1/files/{id}` at 50 requests/s. Target p99 <= 20 ms.
- Each paced run also gives the CPU the service process spent per answer (user + system from /proc), which the
  machine's other load does not inflate as it does latency: a p99 far above that cost is queueing, not the service.
  `HOPE_BENCH_SUPPORT_RATE` lowers the rate to separate the two; `HOPE_BENCH_PROFILE_DIR` samples the service.
- Housing gap list: 2,000 people in step 3 with a step end, 80 residences x 25 beds (made over HTTP by the
  organisation, registered at the gateway as an active support provider through the gateway's event), a year of
  placements (about 11,600, written straight into the table: this measures the read, not the seeding);
  `GET /v1/housing-gaps` as the operator, one at a time: its first page (what a referent works from). Target
  p95 <= 100 ms. Then the whole list (about 1,900 gaps) walked with the largest page, as an export would.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import random
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Select, func, insert, select, text, update
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks.environment import BenchEnvironment
from benchmarks.processes import cpu_seconds, spawn_uvicorn, wait_ready
from benchmarks.profiling import profiled
from benchmarks.report import Report
from benchmarks.tails import quantile
from benchmarks.training_import import publish_enrolment
from hope_contracts import EventContract, enrolment, gateway
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hopekit.db.migrations import upgrade
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer
from support_service.adapters.envelope import KeyEncryptionKey

SECTION = "support"
SUPPORT_ROOT = Path(__file__).resolve().parents[1] / "services" / "support"
RATE = float(os.environ.get("HOPE_BENCH_SUPPORT_RATE", "50"))
DURATION_S = float(os.environ.get("HOPE_BENCH_SUPPORT_SECONDS", "20"))
NOTE_PEOPLE = 200
GAP_PEOPLE = 2_000
RESIDENCES = 80
BEDS_PER_RESIDENCE = 25
GAP_READS = 100
GAP_WALKS = 10


@dataclass
class SupportProcess:
    base: str
    database_url: str
    issuer: TokenIssuer
    org: uuid.UUID
    pid: int
    kafka: str


@contextlib.asynccontextmanager
async def support_process(environment: BenchEnvironment) -> AsyncIterator[SupportProcess]:
    issuer = TokenIssuer.create(environment.work_dir)
    port = find_free_port()
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, SUPPORT_ROOT, url)
        env = {
            "HOPE_SUPPORT_DATABASE_URL": url,
            "HOPE_SUPPORT_KAFKA_BOOTSTRAP": environment.kafka_bootstrap,
            "HOPE_SUPPORT_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
            "HOPE_SUPPORT_JWT_ISSUER": TEST_ISSUER,
            "HOPE_SUPPORT_JWT_AUDIENCE": TEST_AUDIENCE,
            "HOPE_SUPPORT_LOG_LEVEL": "WARNING",
            "HOPE_SUPPORT_KEK": base64.b64encode(KeyEncryptionKey.generate()).decode(),
            "HOPE_SUPPORT_VAR_DIR": str(environment.work_dir / "support-var"),
        }
        process = spawn_uvicorn("support_service.main:create_app", port, env)
        try:
            found = SupportProcess(
                f"http://127.0.0.1:{port}", url, issuer, uuid.uuid4(), process.pid, environment.kafka_bootstrap
            )
            await wait_ready(found.base, process, "support")
            yield found
        finally:
            process.terminate()
            process.wait(timeout=20)


async def people_in_step_3(service: SupportProcess, count: int) -> list[uuid.UUID]:
    """A cohort the service's organisation supports, its members in step 3; waits for their files."""
    from support_service.adapters.tables import support_files

    cohort, people = uuid.uuid4(), [uuid.uuid4() for _ in range(count)]
    now = datetime.now(UTC)
    contracts: list[EventContract] = [
        enrolment.CohortCreated(
            cohort_id=cohort,
            sector_code="logistics",
            region="11",
            track="group",
            training_provider_org_id=uuid.uuid4(),
            support_provider_org_id=service.org,
            capacity=count,
            occurred_at=now,
        ),
        *(
            enrolment.StepStarted(beneficiary_id=p, step=3, track="group", cohort_id=cohort, occurred_at=now)
            for p in people
        ),
    ]
    await publish_enrolment(service.kafka, contracts)
    opened = select(func.count()).select_from(support_files).where(support_files.c.cohort_id == cohort)
    await _until_counted(service, opened, count, "the files")
    return people


async def registered_at_gateway(service: SupportProcess) -> None:
    """The service's organisation as the gateway's event registers it: an active support provider, which a
    residence's registration requires (the partner projection, fed by support's own consumer)."""
    from support_service.adapters.tables import partners

    registered = gateway.OrganisationRegistered(
        organisation_id=service.org, org_kind=OrgKind.SUPPORT_PROVIDER.value, active=True, occurred_at=datetime.now(UTC)
    )
    # Published as the enrolment helper publishes (its CloudEvent source says enrolment): support's consumer
    # routes by event type, and the source only names the sender in its inbox.
    await publish_enrolment(service.kafka, [registered])
    known = select(func.count()).select_from(partners).where(partners.c.id == service.org, partners.c.active)
    await _until_counted(service, known, 1, "the organisation's registration")


async def _until_counted(service: SupportProcess, query: Select[int], expected: int, what: str) -> None:
    """Waits (up to two minutes) until the service's consumers have written what `query` counts."""
    engine = create_async_engine(service.database_url)
    try:
        for _ in range(1200):
            async with engine.connect() as connection:
                if await connection.scalar(query) == expected:
                    return
            await asyncio.sleep(0.1)
    finally:
        await engine.dispose()
    raise RuntimeError(f"{what} did not arrive")


async def paced(call: Callable[[int], Awaitable[httpx.Response]], rate: float, duration_s: float) -> list[float]:
    """Requests started on a fixed schedule (not one after the other), so a slow answer does not slow the rate.
    A request that fails or times out counts as infinitely slow: it is in the tail, not left out of it."""
    latencies: list[float] = []
    total = int(rate * duration_s)
    start = time.perf_counter()

    async def one(i: int) -> None:
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        began = time.perf_counter()
        try:
            answer = await call(i)
        except httpx.HTTPError:
            latencies.append(float("inf"))
            return
        latencies.append((time.perf_counter() - began) * 1000 if answer.status_code < 300 else float("inf"))

    await asyncio.gather(*(one(i) for i in range(total)))
    return latencies


async def _sessions(service: SupportProcess) -> int:
    """Sessions the service's database has seen so far (PostgreSQL's own count, this query's included)."""
    engine = create_async_engine(service.database_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                text("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
            )
    finally:
        await engine.dispose()
    return int(count or 0)


def _ms(latencies: list[float], fraction: float) -> str:
    failed = sum(1 for value in latencies if value == float("inf"))
    if failed > len(latencies) * (1 - fraction):
        return f"beyond 10 s ({failed} of {len(latencies)} failed or timed out)"
    return f"{quantile([v if v != float('inf') else 10_000.0 for v in latencies], fraction):.1f} ms"


async def _notes_and_files(service: SupportProcess, client: httpx.AsyncClient, report: Report) -> None:
    people = await people_in_step_3(service, NOTE_PEOPLE)
    reader = service.issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.READER, org_id=service.org)
    medical = service.issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.MEDICAL, org_id=service.org)
    files = []
    for person in people:
        listed = await client.get(f"/v1/files?beneficiary_id={person}", headers=reader)
        files.append(listed.json()["items"][0]["id"])
    body = "Suivi médical : " + "x" * 2_000
    notes = []
    for file_id in files:
        written = await client.post(
            f"/v1/files/{file_id}/notes", json={"level": "medical", "body": body}, headers=medical
        )
        notes.append(written.json()["id"])

    reason = {"reason_code": "follow_up", "reason_text": "weekly review"}
    for note_id in notes[:20]:  # warm-up
        await client.post(f"/v1/notes/{note_id}/reads", json=reason, headers=medical)
    await _paced_read(
        service,
        report,
        "medical note read",
        lambda i: client.post(f"/v1/notes/{notes[i % len(notes)]}/reads", json=reason, headers=medical),
    )
    await _paced_read(
        service, report, "file read", lambda i: client.get(f"/v1/files/{files[i % len(files)]}", headers=reader)
    )


async def _paced_read(
    service: SupportProcess, report: Report, what: str, call: Callable[[int], Awaitable[httpx.Response]]
) -> None:
    """p50 and p99 at the paced rate, and the service's CPU per answer over the same run (with the machine's
    load average, which says how much of the wall time other processes took). Connections opened: answers that
    queue up past the pool's size open overflow connections, each a PostgreSQL backend started and stopped."""
    before, sessions = cpu_seconds(service.pid), await _sessions(service)
    with profiled({f"support-{what.replace(' ', '-')}": service.pid}):
        latencies = await paced(call, RATE, DURATION_S)
    spent_ms = (cpu_seconds(service.pid) - before) / len(latencies) * 1000
    await asyncio.sleep(1.5)  # PostgreSQL reports a session's end within a second
    opened = await _sessions(service) - sessions - 1  # less the session that read the first count
    report.add(SECTION, f"{what} at {RATE:.0f}/s p50", _ms(latencies, 0.5))
    report.add(SECTION, f"{what} at {RATE:.0f}/s p99", _ms(latencies, 0.99), "<= 20 ms")
    report.add(SECTION, f"{what}: service CPU per answer", f"{spent_ms:.2f} ms")
    report.add(SECTION, f"{what}: database connections opened", str(opened))
    report.add(SECTION, f"{what}: load average (1 min) after", f"{os.getloadavg()[0]:.1f}")


async def _gaps(service: SupportProcess, client: httpx.AsyncClient, report: Report) -> None:
    from support_service.adapters.tables import placements, support_files

    people = await people_in_step_3(service, GAP_PEOPLE)
    today = datetime.now(UTC).date()
    admin = service.issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.ADMIN, org_id=service.org)
    beds: list[tuple[str, str]] = []
    for index in range(RESIDENCES):
        created = await client.post(
            "/v1/residences",
            json={
                "label": f"Residence {index}",
                "commune_code": f"{75101 + index}",
                "department_code": "75",
                "open_periods": [
                    {
                        "starts_on": (today - timedelta(days=366)).isoformat(),
                        "ends_on": (today + timedelta(days=366)).isoformat(),
                    }
                ],
                "rooms": [{"room": f"R{r}", "beds": 5} for r in range(BEDS_PER_RESIDENCE // 5)],
            },
            headers=admin,
        )
        if created.status_code != 201:
            raise RuntimeError(f"residence not registered: {created.status_code} {created.text}")
        beds.extend((created.json()["id"], bed["id"]) for bed in created.json()["beds"])
    # A year of placements: each bed takes successive stays of 30 to 120 nights from a year ago to a month ahead.
    rows = []
    rng = random.Random(20261202)  # noqa: S311 - stay lengths, not secrets
    person_cursor = 0
    for residence_id, bed_id in beds:
        night = today - timedelta(days=365)
        while night < today + timedelta(days=30):
            stay = rng.randint(30, 120)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "beneficiary_id": people[person_cursor % len(people)],
                    "residence_id": uuid.UUID(residence_id),
                    "bed_id": uuid.UUID(bed_id),
                    "starts_on": night,
                    "ends_on": night + timedelta(days=stay),
                    "status": "active",
                    "assigned_at": datetime.now(UTC),
                    "assigned_by_org_id": service.org,
                }
            )
            person_cursor += 1
            night += timedelta(days=stay)
    engine = create_async_engine(service.database_url)
    try:
        async with engine.begin() as connection:
            # The person exclusion constraint would refuse people cycling through beds: seeding only.
            await connection.exec_driver_sql("ALTER TABLE placements DROP CONSTRAINT ex_placements_person_night")
            for chunk in range(0, len(rows), 1000):
                await connection.execute(insert(placements), rows[chunk : chunk + 1000])
            await connection.execute(update(support_files).values(step_ends_on=today + timedelta(days=90)))
    finally:
        await engine.dispose()
    operator = service.issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    for _ in range(5):
        await client.get("/v1/housing-gaps", headers=operator)
    latencies = []
    before = cpu_seconds(service.pid)
    with profiled({"support-housing-gaps": service.pid}):
        for _ in range(GAP_READS):
            began = time.perf_counter()
            answer = await client.get("/v1/housing-gaps", headers=operator)
            latencies.append((time.perf_counter() - began) * 1000)
            answer.raise_for_status()
    spent_ms = (cpu_seconds(service.pid) - before) / GAP_READS * 1000
    report.add(
        SECTION,
        f"housing gaps, first page ({GAP_PEOPLE} people, {len(rows)} placements) p50",
        f"{quantile(latencies, 0.5):.1f} ms",
    )
    report.add(SECTION, "housing gaps, first page p95", f"{quantile(latencies, 0.95):.1f} ms", "<= 100 ms")
    report.add(SECTION, "housing gaps, first page: gaps on it", str(len(answer.json()["items"])))
    report.add(SECTION, "housing gaps, first page: service CPU per answer", f"{spent_ms:.1f} ms")
    await _whole_gap_list(service, client, operator, report)
    report.add(SECTION, "housing gaps: load average (1 min) after", f"{os.getloadavg()[0]:.1f}")


async def _whole_gap_list(
    service: SupportProcess, client: httpx.AsyncClient, operator: dict[str, str], report: Report
) -> None:
    """The whole list, page after page of the largest size, as an export or the gateway's dashboard reads it."""
    latencies, pages, gaps = [], 0, 0
    before = cpu_seconds(service.pid)
    for _ in range(GAP_WALKS):
        began = time.perf_counter()
        pages, gaps, cursor = 0, 0, None
        while True:
            params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
            answer = await client.get("/v1/housing-gaps", params=params, headers=operator)
            answer.raise_for_status()
            pages, gaps, cursor = pages + 1, gaps + len(answer.json()["items"]), answer.json()["next_cursor"]
            if cursor is None:
                break
        latencies.append((time.perf_counter() - began) * 1000)
    spent_ms = (cpu_seconds(service.pid) - before) / GAP_WALKS * 1000
    report.add(
        SECTION, f"housing gaps, whole list ({gaps} gaps, {pages} pages) p50", f"{quantile(latencies, 0.5):.1f} ms"
    )
    report.add(SECTION, "housing gaps, whole list: service CPU per walk", f"{spent_ms:.1f} ms")


async def run(environment: BenchEnvironment, report: Report) -> None:
    async with (
        support_process(environment) as service,
        httpx.AsyncClient(base_url=service.base, timeout=10, limits=httpx.Limits(max_connections=200)) as client,
    ):
        await registered_at_gateway(service)
        await _notes_and_files(service, client, report)
        await _gaps(service, client, report)
