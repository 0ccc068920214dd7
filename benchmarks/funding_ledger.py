"""Funding on PostgreSQL and Kafka: attendance sheets to consumption posted, the money views, and a claim with its
certificates.

The funding service runs as its own uvicorn process (consumers and relay on Kafka, as ``make run`` starts it).
5 cohorts of 100 people start step 3 through enrolment's events on Kafka (a commitment each); then
``SHEETS_PER_COHORT`` sheets of 100 people per cohort are published on training's topic as training's relay
would, and the clock runs from the first record sent to the last sheet's consumption committed (its inbox row,
written in the same transaction). The service's CPU time and peak memory (VmHWM) are read off its process;
its transactions per sheet from PostgreSQL's statistics (the relay's and the database's own included); with
``HOPE_BENCH_PROFILE_DIR`` set, py-spy samples it while the sheets go in. Then the money view of a cohort and of
the agreement are read over HTTP one at a time; then a claim over everything is built and the certificates of 500
people generated as PDF. First, the ledger consumer's work is measured in this process alone (``_in_process``):
CPU per sheet (this process's, and its PostgreSQL backends') and statements per sheet, which depend far less on
the machine's load than wall time does.

Issue 15 (>= 5,000 entries/s end to end) is met since a poll's consecutive sheets share the database's work
(``funding_service.service_layer.sheet_runs``: read ahead once, every existing account locked once, writes held and
written once per table per run). Measured 2026-12-06 on the shared 2-core machine, this branch and the lead
(7e12e15) back to back, ``python -m benchmarks funding_ledger``: branch 9,192 entries/s (load 1.20 -> 1.67 during
the run; wall 10.9 ms per sheet, service CPU 6.2 ms per sheet, 0.22 transactions per sheet, peak 208 MiB), lead
5,971 (load 1.61 -> 1.55; 16.7 ms, 7.9 ms, 0.35, 177 MiB). Other runs: branch 11,836 (load 2.52 -> 1.80; 8.4 ms, 5.2
ms); before writes held were bounded to 10,000, 7,915 (load 1.83 -> 2.80; 12.6 ms, 6.3 ms, peak 256 MiB) and, with
py-spy sampling it, 9,404 (load 2.0 -> 2.5; 6.3 ms); lead 5,595 (load 2.65 -> 2.83; 17.9 ms, 7.8 ms). The lead's
service CPU is lower today than on 2026-12-05 (below). With the lead merged in (f6ce9a6: the kit freezes the objects
alive at start, for every service): 8,174 (load 2.11 -> 3.05; 12.2 ms, 6.2 ms, 205 MiB). Load-independent, the
in-process section three times each, alternating (load 1.9-2.4): CPU per sheet 7.4 / 7.5 / 8.2 -> 5.4 / 5.0 / 5.4
ms, database CPU per sheet 5.5 / 5.5 / 5.9 -> 2.8 / 2.7 / 2.8 ms, statements per sheet 7.68 -> 0.64 (a poll of 25
sheets of 5 cohorts updates each person's accounts and the line's ``available`` once, not 5 times). Peak memory grew
by about 30 MiB: a poll of up to 500 sheets holds its sheets' contracts (about 34 MiB for 500) and up to 10,000 held
postings and rows at a time.

Before (2026-12-05, the lead 88354b5 and the funding-ingest branch back to back, load 2-8): lead 2,107 / 2,442 /
3,009 / 3,272 entries/s (service CPU 16.5 / 14.6 / 15.5 / 15.1 ms per sheet), branch 3,222 / 2,405 / 1,748 /
3,411 (13.4 / 13.6 / 14.7 / 12.7 ms), and 3,882 alone at load 3 (13.1 ms). What moved then, load-independent: the
domain's work on a sheet of 100 (keys, postings, pricing; a micro-measure) 4.1 -> 2.9 ms; the ledger statement's
database CPU 6.1 -> 5.2 ms and the consumption rows' 1.2 -> 1.0 ms per sheet (migration 0007, from the backends'
schedstat); collection passes in process 1.8-2.7 -> 0.5-0.6 ms per sheet; 7.72 statements per sheet. The
postings' two foreign keys cost the database 1.7 ms per sheet (400 row checks), kept. Before that work, at low
load: 4,275 entries/s, service CPU 11.6 ms per sheet, wall 23.4 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.environment import BenchEnvironment
from benchmarks.processes import cpu_seconds, peak_rss_mb, spawn_uvicorn, wait_ready
from benchmarks.profiling import profiled
from benchmarks.report import Report
from benchmarks.tails import quantile
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.events.incoming import CONSUMERS
from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hope_contracts import EventContract, enrolment, training
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hope_infra.testing import received
from hopekit.db.migrations import upgrade
from hopekit.events import cloudevent
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process_batch
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer, running, service_settings, statements_sent

SERVICE_ROOT = Path(__file__).resolve().parents[1] / "services" / "funding"
COHORTS = 5
COHORT_SIZE = 100
SHEETS_PER_COHORT = int(os.environ.get("HOPE_BENCH_FUNDING_SHEETS_PER_COHORT", "200"))  # 1,000 sheets in all
READS = 500
CONSUMER = "funding.ledger"
WAIT_S = 1800


@contextlib.asynccontextmanager
async def _funding(environment: BenchEnvironment, url: str, issuer: TokenIssuer) -> AsyncIterator[tuple[str, int]]:
    port = find_free_port()
    env = {
        "HOPE_FUNDING_DATABASE_URL": url,
        "HOPE_FUNDING_KAFKA_BOOTSTRAP": environment.kafka_bootstrap,
        "HOPE_FUNDING_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
        "HOPE_FUNDING_JWT_ISSUER": TEST_ISSUER,
        "HOPE_FUNDING_JWT_AUDIENCE": TEST_AUDIENCE,
        "HOPE_FUNDING_LOG_LEVEL": "WARNING",
    }
    process = spawn_uvicorn("funding_service.main:create_app", port, env)
    try:
        base = f"http://127.0.0.1:{port}"
        await wait_ready(base, process, "funding")
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _send(producer: AIOKafkaProducer, contracts: list[EventContract], source: str) -> list[str]:
    """As another service's relay puts its events on Kafka; their ids, as the consumer's inbox keeps them."""
    pending = []
    ids = [uuid.uuid4() for _ in contracts]
    for event_id, contract in zip(ids, contracts, strict=True):
        key, value, headers = cloudevent.encode(
            event_id=event_id,
            source=source,
            type_=contract.event_type,
            subject=contract.subject(),
            time=datetime.now(UTC),
            key=contract.partition_key(),
            payload=contract.model_dump_json().encode(),
        )
        pending.append(await producer.send(contract.topic(), value=value, key=key, headers=headers))
    await asyncio.gather(*pending)
    return [str(event_id) for event_id in ids]


async def _until(connection: asyncpg.Connection, wanted: int, query: str, *arguments: object) -> None:
    for _ in range(WAIT_S * 20):
        if await connection.fetchval(query, *arguments) >= wanted:
            return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"not reached in {WAIT_S} s: {query} >= {wanted}")


def _sheet(cohort: uuid.UUID, people: list[uuid.UUID], number: int, now: datetime) -> training.AttendanceRecorded:
    statuses = ("present", "present", "present", "excused", "unexcused")
    return training.AttendanceRecorded(
        session_id=uuid.uuid4(),
        course_id=uuid.UUID(int=cohort.int ^ 1),
        step=3,
        cohort_id=cohort,
        held_on=date(2025, 1, 6) + timedelta(days=number),
        session_hours=Decimal("3.50"),
        session_kind="core",
        entries=tuple(
            training.AttendanceEntry(
                beneficiary_id=person,
                status=statuses[(index + number) % 5],
                hours_attended=Decimal("3.50") if statuses[(index + number) % 5] == "present" else Decimal("1.00"),
            )
            for index, person in enumerate(people)
        ),
        occurred_at=now,
    )


async def _commits(connection: asyncpg.Connection) -> int:
    """Transactions committed in this database so far (PostgreSQL's statistics, flushed about every second)."""
    await asyncio.sleep(1.5)
    found: int = await connection.fetchval(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
    )
    return found


async def _post(client: httpx.AsyncClient, headers: dict[str, str], path: str, body: Mapping[str, object]) -> str:
    response = await client.post(path, json=body, headers=headers)
    if response.status_code not in (200, 201):
        raise RuntimeError(f"POST {path}: {response.status_code} {response.text[:300]}")
    found: str = response.json()["id"]
    return found


async def _timed(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[float]:
    latencies = []
    for _ in range(READS):
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()
    return latencies


async def _in_process(environment: BenchEnvironment, issuer: TokenIssuer, report: Report, section: str) -> None:
    """The ledger consumer's work alone, in this process, without Kafka or the service's other tasks: what a sheet
    costs in CPU (this process's time) and in statements, figures that do not depend on the machine's load.
    The same 5 cohorts of 100 people; after 2 sheets per cohort (the people's accounts made), 20 more per cohort
    applied in polls of 25, as the consumer applies a backlog."""
    operator = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.WRITER)
    now = datetime.now(UTC)
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, SERVICE_ROOT, url)
        app = create_app(service_settings(FundingSettings, url, issuer))
        async with running(app) as client:
            database = app.state.database
            [ledger] = [spec for spec in CONSUMERS if spec.name == "ledger"]
            assert ledger.batch is not None
            apply = ledger.batch

            async def polls(events: list[ReceivedEvent]) -> None:
                for start in range(0, len(events), IN_PROCESS_POLL):
                    batch = events[start : start + IN_PROCESS_POLL]
                    await process_batch(CONSUMER, FundingUnitOfWork(database), batch, apply)

            funder = await _post(client, operator, "/v1/funders", {"code": "AKTO", "name": "AKTO", "kind": "opco"})
            period = {"period_start": "2025-01-01", "period_end": "2027-12-31"}
            agreement = await _post(
                client, operator, "/v1/agreements", {"funder_id": funder, "reference": "I", **period}
            )
            line = await _post(client, operator, f"/v1/agreements/{agreement}/lines", LINE)
            await _post(client, operator, f"/v1/agreements/{agreement}/sign", {"signed_on": "2025-01-02"})
            await _post(client, operator, f"/v1/agreements/{agreement}/activate", {})
            cohorts = [(uuid.uuid4(), [uuid.uuid4() for _ in range(COHORT_SIZE)]) for _ in range(COHORTS)]
            await polls([received(created) for created in _cohorts_created(cohorts, now)])
            for cohort, _ in cohorts:
                await _post(client, operator, "/v1/financing-plans", _plan(cohort, line))
            await polls([received(event) for event in _path(cohorts, now)])
            warm = [_sheet(cohort, people, 1000 + n, now) for n in range(2) for cohort, people in cohorts]
            await polls([received(sheet) for sheet in warm])
            sheets = [_sheet(cohort, people, n, now) for n in range(IN_PROCESS_SHEETS) for cohort, people in cohorts]
            events = [received(sheet) for sheet in sheets]
            backends = await _backends(database.engine)
            with statements_sent(database.engine) as sent:
                cpu, database_cpu = time.process_time(), sum(map(cpu_seconds, backends))
                await polls(events)
                cpu = time.process_time() - cpu
                database_cpu = sum(map(cpu_seconds, backends)) - database_cpu
    report.add(section, "in process: CPU per sheet of 100 (polls of 25)", f"{cpu / len(events) * 1000:.1f} ms")
    per_sheet = f"{database_cpu / len(events) * 1000:.1f} ms"
    report.add(section, "in process: database CPU per sheet (its backends)", per_sheet)
    report.add(section, "in process: statements per sheet of 100 (polls of 25)", f"{len(sent) / len(events):.2f}")


async def _backends(engine: AsyncEngine) -> list[int]:
    """The PostgreSQL backends of the service's pool on its database (their CPU time is the database's work on the
    sheets, which the machine's load does not change; PostgreSQL runs on this machine)."""
    async with engine.connect() as connection:
        query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return list((await connection.execute(query)).scalars())


LINE = {
    "cost_type": "training_hours",
    "unit": "hour",
    "rate": "15.00",
    "quantity": "1000000.00",
    "amount": "15000000.00",
}
IN_PROCESS_SHEETS = 20  # per cohort
IN_PROCESS_POLL = 25


def _cohorts_created(cohorts: list[tuple[uuid.UUID, list[uuid.UUID]]], now: datetime) -> list[EventContract]:
    return [
        enrolment.CohortCreated(
            cohort_id=cohort,
            sector_code="logistics",
            region="11",  # Île-de-France (an INSEE region code, as the contract asks)
            track="group",
            training_provider_org_id=uuid.uuid4(),
            support_provider_org_id=uuid.uuid4(),
            capacity=COHORT_SIZE,
            occurred_at=now,
        )
        for cohort, _ in cohorts
    ]


def _plan(cohort: uuid.UUID, line: str) -> dict[str, object]:
    return {
        "cost_type": "training_hours",
        "unit_cost": "15.00",
        "step": 3,
        "cohort_id": str(cohort),
        "shares": [{"budget_line_id": line, "share": "1"}],
        "remainder_line_id": line,
    }


def _path(cohorts: list[tuple[uuid.UUID, list[uuid.UUID]]], now: datetime) -> list[EventContract]:
    """Every person joins their cohort and starts step 3 (a commitment each)."""
    path: list[EventContract] = []
    for cohort, people in cohorts:
        for person in people:
            path.append(enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=now))
            path.append(
                enrolment.StepStarted(beneficiary_id=person, step=3, track="group", cohort_id=cohort, occurred_at=now)
            )
    return path


async def run(environment: BenchEnvironment, report: Report) -> None:
    keys = environment.work_dir / "funding-keys"
    keys.mkdir(exist_ok=True)
    issuer = TokenIssuer.create(keys)
    await _in_process(
        environment, issuer, report, f"funding ledger (in process, PostgreSQL; {COHORTS * IN_PROCESS_SHEETS} sheets)"
    )
    operator = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.WRITER)
    now = datetime.now(UTC)
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, SERVICE_ROOT, url)
        statistics = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
        producer = AIOKafkaProducer(bootstrap_servers=environment.kafka_bootstrap, enable_idempotence=True, linger_ms=5)
        await producer.start()
        try:
            async with _funding(environment, url, issuer) as (base, pid), httpx.AsyncClient(base_url=base) as client:
                funder = await _post(client, operator, "/v1/funders", {"code": "AKTO", "name": "AKTO", "kind": "opco"})
                agreement = await _post(
                    client,
                    operator,
                    "/v1/agreements",
                    {
                        "funder_id": funder,
                        "reference": "AKTO-BENCH",
                        "period_start": "2025-01-01",
                        "period_end": "2027-12-31",
                    },
                )
                line = await _post(client, operator, f"/v1/agreements/{agreement}/lines", LINE)
                await _post(client, operator, f"/v1/agreements/{agreement}/sign", {"signed_on": "2025-01-02"})
                await _post(client, operator, f"/v1/agreements/{agreement}/activate", {})
                cohorts = [(uuid.uuid4(), [uuid.uuid4() for _ in range(COHORT_SIZE)]) for _ in range(COHORTS)]
                await _send(producer, _cohorts_created(cohorts, now), "/hope/enrolment")
                # Its own cohorts and people, counted by id: the topics may hold other benchmarks' events (reporting's
                # rebuild publishes a programme's history), which the service's new consumer group reads first.
                ids = [cohort for cohort, _ in cohorts]
                await _until(statistics, COHORTS, "SELECT count(*) FROM cohorts WHERE id = ANY($1)", ids)
                for cohort, _ in cohorts:
                    await _post(client, operator, "/v1/financing-plans", _plan(cohort, line))
                await _send(producer, _path(cohorts, now), "/hope/enrolment")
                everyone = [person for _, members in cohorts for person in members]
                committed = "SELECT count(*) FROM commitments WHERE beneficiary_id = ANY($1)"
                await _until(statistics, COHORTS * COHORT_SIZE, committed, everyone)

                sheets: list[EventContract] = [
                    _sheet(cohort, people, number, now)
                    for number in range(SHEETS_PER_COHORT)
                    for cohort, people in cohorts
                ]
                cpu_before, commits_before = cpu_seconds(pid), await _commits(statistics)
                started = time.perf_counter()
                with profiled({"funding": pid}):
                    sent = await _send(producer, sheets, "/hope/training")
                    # These sheets' own inbox rows (the topic may hold earlier sheets of other benchmarks).
                    inboxed = "SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = ANY($2)"
                    await _until(statistics, len(sheets), inboxed, CONSUMER, sent)
                consumed_s = time.perf_counter() - started
                cpu_s = cpu_seconds(pid) - cpu_before
                peak_after_sheets = peak_rss_mb(pid)
                transactions = await _commits(statistics) - commits_before
                entries = len(sheets) * COHORT_SIZE

                cohort_path = f"/v1/money/cohorts/{cohorts[0][0]}"
                agreement_path = f"/v1/money/agreements/{agreement}"
                await _timed(client, cohort_path, operator)
                cohort_latencies = await _timed(client, cohort_path, operator)
                agreement_latencies = await _timed(client, agreement_path, operator)

                started = time.perf_counter()
                claim_response = await client.post(
                    "/v1/claims",
                    json={"agreement_id": agreement, "period_start": "2025-01-01", "period_end": "2027-12-31"},
                    headers=operator,
                    timeout=300,
                )
                claim_response.raise_for_status()
                claim = claim_response.json()
                built_s = time.perf_counter() - started
                pdf = {**operator, "Accept": "application/pdf"}
                people_claimed = sorted({claim_line["beneficiary_id"] for claim_line in claim["lines"]})
                for person in people_claimed:
                    (
                        await client.get(f"/v1/claims/{claim['id']}/certificates/{person}", headers=pdf, timeout=60)
                    ).raise_for_status()
                claim_s = time.perf_counter() - started
                peak_mib = peak_rss_mb(pid)
        finally:
            await producer.stop()
            await statistics.close()
    section = f"funding ledger (PostgreSQL + Kafka, service process; {entries:,} attendance entries)"
    report.add(section, "sheets published to consumption posted: entries/s", f"{entries / consumed_s:,.0f}", ">= 5,000")
    report.add(section, f"sheets: ms per sheet of {COHORT_SIZE} (wall)", f"{consumed_s / len(sheets) * 1000:.1f}")
    report.add(section, "service CPU per sheet (load-independent-ish)", f"{cpu_s / len(sheets) * 1000:.1f} ms")
    report.add(
        section, "database transactions per sheet (consumer, relay, all; about)", f"{transactions / len(sheets):.2f}"
    )
    report.add(section, "peak memory of the service after the sheets (VmHWM)", f"{peak_after_sheets:,.0f} MiB")
    report.add(section, "money view of a cohort: p99", f"{quantile(cohort_latencies, 0.99) * 1000:.1f} ms", "<= 20 ms")
    report.add(
        section, "money view of the agreement: p99", f"{quantile(agreement_latencies, 0.99) * 1000:.1f} ms", "<= 20 ms"
    )
    report.add(section, "claim built (s)", f"{built_s:.1f} s")
    report.add(
        section, f"claim of {len(people_claimed)} people + their PDF certificates", f"{claim_s:.1f} s", "<= 10 s"
    )
    report.add(section, "peak memory of the service at the end (VmHWM)", f"{peak_mib:,.0f} MiB")
