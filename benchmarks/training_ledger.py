"""Hours ledger of one person with 2 years of sessions, read over HTTP on PostgreSQL.

The training service runs as its own uvicorn process on a fresh database with Kafka (see
``training_import``). The person's cohort follows a step-3 course then a step-4 course (core mornings,
French-support afternoons): 100 weeks, 1,000 sessions, every one with the person's attendance. Other
cohorts fill the attendance table around it (about 100,000 marks in all), all recorded through the
CSV import. Then, one request at a time, the person's ledger across steps
(``/v1/beneficiaries/{id}/ledger``) and within one course (``/v1/courses/{id}/participants/{id}/ledger``)
are read repeatedly, as the provider; then the first with several clients at once for the throughput.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from benchmarks.environment import BenchEnvironment
from benchmarks.report import Report
from benchmarks.tails import quantile
from benchmarks.training_import import (
    SLOTS,
    TrainingProcess,
    enrol_cohort,
    open_course,
    training_process,
    upload,
    weekdays_between,
    write_sheet,
)

COHORT_SIZE = 20
COHORTS = 5
WEEKS_PER_STEP = 50
READS = 1_000
WARM_UP = 50
CONCURRENCY = 8
CONCURRENT_S = 5.0


async def _cohort(
    client: httpx.AsyncClient, service: TrainingProcess, environment: BenchEnvironment, first: date, index: int
) -> tuple[list[uuid.UUID], list[str]]:
    """A cohort through steps 3 then 4 over 100 weeks, every session's attendance imported."""
    cohort = uuid.uuid4()
    people = [uuid.uuid4() for _ in range(COHORT_SIZE)]
    await enrol_cohort(service, cohort, people, (3, 4), outsider=uuid.uuid4())
    second = first + timedelta(weeks=WEEKS_PER_STEP)
    (morning_start, morning_end), (afternoon_start, afternoon_end) = SLOTS
    courses = [
        (
            await open_course(
                client,
                service,
                cohort=cohort,
                step=3,
                first=first,
                weeks=WEEKS_PER_STEP,
                slots=[(start, end, "core") for start, end in SLOTS],
            ),
            first,
        ),
        (
            await open_course(
                client,
                service,
                cohort=cohort,
                step=4,
                first=second,
                weeks=WEEKS_PER_STEP,
                slots=[(morning_start, morning_end, "core"), (afternoon_start, afternoon_end, "french_support")],
                support_french_hours="400",
            ),
            second,
        ),
    ]
    for number, (course_id, starts) in enumerate(courses):
        sheet = environment.work_dir / f"ledger-{index}-{number}.csv"
        days = weekdays_between(starts, WEEKS_PER_STEP)
        write_sheet(sheet, people, days, [start for start, _ in SLOTS], outsider=None, outsider_rows=0, seed=index)
        found = await upload(client, service, course_id, sheet.read_bytes())
        if found["rejected"]:
            raise RuntimeError(f"ledger set-up: {found['rejected']} rows rejected: {found['rejections'][:3]}")
    return people, [course_id for course_id, _ in courses]


async def _timed(client: httpx.AsyncClient, path: str, headers: dict[str, str], count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return latencies


async def _throughput(base: str, path: str, headers: dict[str, str]) -> float:
    done = 0
    deadline = time.perf_counter() + CONCURRENT_S
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:

        async def reader() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                (await client.get(path)).raise_for_status()
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(reader() for _ in range(CONCURRENCY)))
        return done / (time.perf_counter() - started)


def _check(ledgers: list[dict[str, Any]]) -> str:
    """The person's two courses, every session counted: 500 core sessions of 3.5 h at step 3, 250 core
    and 250 French-support sessions at step 4."""
    by_step = {ledger["step"]: ledger for ledger in ledgers}
    expected = {3: Decimal("1750.00"), 4: Decimal("875.00")}
    problems = [
        f"step {step} scheduled {by_step.get(step, {}).get('hours', {}).get('scheduled')} != {hours}"
        for step, hours in expected.items()
        if Decimal(by_step.get(step, {}).get("hours", {}).get("scheduled", "0")) != hours
    ]
    support = (by_step.get(4, {}).get("french_support") or {}).get("scheduled")
    if support is None or Decimal(support) != Decimal("875.00"):
        problems.append(f"step 4 French support scheduled {support} != 875.00")
    return "; ".join(problems) or "ok"


async def run(environment: BenchEnvironment, report: Report) -> None:
    today = datetime.now(UTC).date()
    first = today - timedelta(days=today.weekday() + 7 * 2 * WEEKS_PER_STEP)
    async with training_process(environment) as service:
        async with httpx.AsyncClient(base_url=service.base, timeout=300) as client:
            setup_started = time.perf_counter()
            cohorts = [await _cohort(client, service, environment, first, index) for index in range(COHORTS)]
            setup = time.perf_counter() - setup_started
            people, (step3, _) = cohorts[0]
            person = people[COHORT_SIZE // 2]
            headers = service.provider_headers
            across = f"/v1/beneficiaries/{person}/ledger"
            within = f"/v1/courses/{step3}/participants/{person}/ledger"
            answer = (await client.get(across, headers=headers)).json()
            await _timed(client, across, headers, WARM_UP)
            across_latencies = await _timed(client, across, headers, READS)
            await _timed(client, within, headers, WARM_UP)
            within_latencies = await _timed(client, within, headers, READS)
        concurrent = await _throughput(service.base, across, headers)
    marks = COHORTS * COHORT_SIZE * 4 * WEEKS_PER_STEP * 5
    section = f"training ledger (1 person, 2 years = 1,000 sessions; {marks:,} marks in the table)"
    report.add(section, "set-up (enrolment events, 10 courses, 10 CSV imports)", f"{setup:.1f} s")
    for name, latencies in (("person across steps", across_latencies), ("person in one course", within_latencies)):
        report.add(section, f"{name}: p50", f"{quantile(latencies, 0.50) * 1000:.1f} ms")
        report.add(section, f"{name}: p99", f"{quantile(latencies, 0.99) * 1000:.1f} ms", "<= 20 ms")
        report.add(section, f"{name}: reads/s, one client", f"{1 / statistics.fmean(latencies):,.0f}")
    report.add(section, f"person across steps: reads/s, {CONCURRENCY} clients", f"{concurrent:,.0f}")
    report.add(section, "checks (hours counted per step)", _check(answer), "ok")
