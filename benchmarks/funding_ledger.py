"""Funding on PostgreSQL: attendance sheets to consumption posted, the money views, and a claim with its
certificates.

In process, without Kafka: each sheet goes through the consumer's own per-record path
(``hopekit.events.subscriptions.process``: inbox row, handler, commit), so the figure is the service's
cost per record, not the broker's. 5 cohorts of 100 people start step 3 (a commitment each), then
``SHEETS_PER_COHORT`` sheets of 100 people each are recorded; then the money view of a cohort and of the
agreement are read over HTTP (in-process ASGI) one at a time; then a claim over everything is built and the
certificates of 500 people generated as PDF.
"""

from __future__ import annotations

import asyncio
import resource
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from benchmarks.environment import BenchEnvironment
from benchmarks.report import Report
from benchmarks.tails import quantile
from funding_service.adapters.tables import kit
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.events.incoming import CONSUMERS
from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hope_contracts import EventContract, enrolment, training
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database

SERVICE_ROOT = Path(__file__).resolve().parents[1] / "services" / "funding"
COHORTS = 5
COHORT_SIZE = 100
SHEETS_PER_COHORT = 200
READS = 500
CONSUMER = "funding.ledger"


def _received(contract: EventContract, source: str) -> ReceivedEvent:
    return ReceivedEvent(
        id=str(uuid.uuid4()),
        source=source,
        type=contract.event_type,
        subject=contract.subject(),
        time=datetime.now(UTC),
        key=contract.partition_key(),
        data=contract.model_dump(mode="json"),
        topic=contract.topic(),
        partition=0,
        offset=0,
    )


async def _deliver(database: Database, contract: EventContract, source: str = "/hope/enrolment") -> None:
    handler = CONSUMERS[0].handlers[contract.event_type]
    await process(CONSUMER, FundingUnitOfWork(database), handler, _received(contract, source))


async def _post(client: httpx.AsyncClient, headers: dict[str, str], path: str, body: dict[str, object]) -> str:
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


async def run(environment: BenchEnvironment, report: Report) -> None:
    keys = environment.work_dir / "funding-keys"
    keys.mkdir(exist_ok=True)
    issuer = TokenIssuer.create(keys)
    operator = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.WRITER)
    now = datetime.now(UTC)
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, SERVICE_ROOT, url)
        engine = make_engine(url)
        database = Database(engine=engine, tables=kit)
        try:
            async with running(create_app(service_settings(FundingSettings, url, issuer))) as client:
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
                line = await _post(
                    client,
                    operator,
                    f"/v1/agreements/{agreement}/lines",
                    {
                        "cost_type": "training_hours",
                        "unit": "hour",
                        "rate": "15.00",
                        "quantity": "1000000.00",
                        "amount": "15000000.00",
                    },
                )
                await _post(client, operator, f"/v1/agreements/{agreement}/sign", {"signed_on": "2025-01-02"})
                await _post(client, operator, f"/v1/agreements/{agreement}/activate", {})
                cohorts: list[tuple[uuid.UUID, list[uuid.UUID]]] = []
                for _ in range(COHORTS):
                    cohort, people = uuid.uuid4(), [uuid.uuid4() for _ in range(COHORT_SIZE)]
                    await _deliver(
                        database,
                        enrolment.CohortCreated(
                            cohort_id=cohort,
                            sector_code="logistics",
                            region="11",  # Île-de-France (an INSEE region code, as the contract asks)
                            track="group",
                            training_provider_org_id=uuid.uuid4(),
                            support_provider_org_id=uuid.uuid4(),
                            capacity=COHORT_SIZE,
                            occurred_at=now,
                        ),
                    )
                    await _post(
                        client,
                        operator,
                        "/v1/financing-plans",
                        {
                            "cost_type": "training_hours",
                            "unit_cost": "15.00",
                            "step": 3,
                            "cohort_id": str(cohort),
                            "shares": [{"budget_line_id": line, "share": "1"}],
                            "remainder_line_id": line,
                        },
                    )
                    for person in people:
                        await _deliver(
                            database,
                            enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=now),
                        )
                        await _deliver(
                            database,
                            enrolment.StepStarted(
                                beneficiary_id=person, step=3, track="group", cohort_id=cohort, occurred_at=now
                            ),
                        )
                    cohorts.append((cohort, people))

                first_day = date(2025, 1, 6)
                started = time.perf_counter()
                for number in range(SHEETS_PER_COHORT):
                    for cohort, people in cohorts:
                        statuses = ("present", "present", "present", "excused", "unexcused")
                        await _deliver(
                            database,
                            training.AttendanceRecorded(
                                session_id=uuid.uuid4(),
                                course_id=uuid.UUID(int=cohort.int ^ 1),
                                step=3,
                                cohort_id=cohort,
                                held_on=first_day + timedelta(days=number),
                                session_hours=Decimal("3.50"),
                                session_kind="core",
                                entries=tuple(
                                    training.AttendanceEntry(
                                        beneficiary_id=person,
                                        status=statuses[(index + number) % 5],
                                        hours_attended=Decimal("3.50")
                                        if statuses[(index + number) % 5] == "present"
                                        else Decimal("1.00"),
                                    )
                                    for index, person in enumerate(people)
                                ),
                                occurred_at=now,
                            ),
                            "/hope/training",
                        )
                consumed_s = time.perf_counter() - started
                entries = COHORTS * SHEETS_PER_COHORT * COHORT_SIZE

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
                )
                claim_response.raise_for_status()
                claim = claim_response.json()
                built_s = time.perf_counter() - started
                pdf = {**operator, "Accept": "application/pdf"}
                people_claimed = sorted({claim_line["beneficiary_id"] for claim_line in claim["lines"]})
                for person in people_claimed:
                    (
                        await client.get(f"/v1/claims/{claim['id']}/certificates/{person}", headers=pdf)
                    ).raise_for_status()
                claim_s = time.perf_counter() - started
        finally:
            await engine.dispose()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    section = f"funding ledger (PostgreSQL, in process, no Kafka; {entries:,} attendance entries)"
    report.add(
        section, "sheets to consumption posted: entries/s", f"{entries / consumed_s:,.0f}", ">= 5,000 (with Kafka)"
    )
    report.add(section, f"sheets: ms per sheet of {COHORT_SIZE}", f"{consumed_s / (entries / COHORT_SIZE) * 1000:.1f}")
    report.add(section, "money view of a cohort: p99", f"{quantile(cohort_latencies, 0.99) * 1000:.1f} ms", "<= 20 ms")
    report.add(
        section, "money view of the agreement: p99", f"{quantile(agreement_latencies, 0.99) * 1000:.1f} ms", "<= 20 ms"
    )
    report.add(section, "claim built (s)", f"{built_s:.1f} s")
    report.add(
        section, f"claim of {len(people_claimed)} people + their PDF certificates", f"{claim_s:.1f} s", "<= 10 s"
    )
    report.add(section, "peak memory of the benchmark process (service in it)", f"{peak_mib:,.0f} MiB")
