"""Outcome to completion: from an exit outcome sent through the gateway to enrolment's `completed` event read.

Issue 16's second target: at 20 requests/s, p99 <= 500 ms. The gateway, enrolment and employment run as their
own uvicorn processes, each on a fresh PostgreSQL database, with Kafka. People are first taken to step 4 with
their qualification awarded (``benchmarks.step_4_people``); then the support provider records one outcome per
person through the gateway (`POST /api/employment/v1/outcomes`), paced open loop, while a consumer in this
process reads `hope.enrolment.events`. A person's latency runs from the moment their request was due to be
sent to the moment their `completed` was read: the gateway, employment's transaction and relay, Kafka,
enrolment's consumer and relay, Kafka again.

Enrolment completes paths only with its consumer of `outcome.recorded` (services/employment/PLAN.md §5). Without
it the section says so and measures nothing; ``HOPE_BENCH_OUTCOME_FORCE=1`` runs it anyway (to try the harness:
every outcome is then accepted and no completion comes). ``HOPE_BENCH_OUTCOME_RATE`` and
``HOPE_BENCH_OUTCOME_DURATION_S`` change the load (default 20/s for 60 s, so 1,200 people).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer

from benchmarks.completion_clock import (
    OUTCOME_RECORDED,
    CompletionClock,
    enrolment_completes_on_outcomes,
    send_offsets,
)
from benchmarks.environment import BenchEnvironment
from benchmarks.gateway_overhead import GATEWAY_ROOT, _create_admin, _gateway_env, _token
from benchmarks.processes import cpu_seconds, spawn_uvicorn, wait_ready
from benchmarks.profiling import profiled
from benchmarks.report import Report
from benchmarks.step_4_people import (
    Tokens,
    partners,
    people_in_step_4,
    publish_qualifications,
    wait_until_employment_knows,
)
from benchmarks.tails import quantile
from enrolment_service.events.incoming import CONSUMERS as ENROLMENT_CONSUMERS
from hope_infra.kafka import find_free_port
from hope_infra.services import SERVICES
from hopekit.db.migrations import upgrade

RATE = float(os.environ.get("HOPE_BENCH_OUTCOME_RATE", "20"))
DURATION_S = float(os.environ.get("HOPE_BENCH_OUTCOME_DURATION_S", "60"))
COMPLETION_WAIT_S = 30
# Three services start at once; on a shared 2-core machine one alone has taken 21 s to be ready.
STARTUP_S = 180
SECTION = "employment: outcome -> enrolment completed"
REPOSITORY = Path(__file__).resolve().parents[1]
ROOTS = {"enrolment": REPOSITORY / "services" / "enrolment", "employment": REPOSITORY / "services" / "employment"}
FACTORIES = {service.name: service for service in SERVICES}


def _service_env(name: str, database_url: str, bootstrap: str, gateway: str, var_dir: Path) -> dict[str, str]:
    prefix = f"HOPE_{name.upper()}_"
    return {
        f"{prefix}DATABASE_URL": database_url,
        f"{prefix}KAFKA_BOOTSTRAP": bootstrap,
        f"{prefix}JWKS_URL": f"{gateway}/.well-known/jwks.json",
        f"{prefix}ENVIRONMENT": "test",
        f"{prefix}VAR_DIR": str(var_dir / name),
        f"{prefix}LOG_LEVEL": "WARNING",
    }


async def run(environment: BenchEnvironment, report: Report) -> None:
    ready = enrolment_completes_on_outcomes(ENROLMENT_CONSUMERS)
    if not ready and os.environ.get("HOPE_BENCH_OUTCOME_FORCE") != "1":
        report.add(SECTION, "p99", "unmeasured: enrolment has no consumer of outcome.recorded yet", "<= 500 ms")
        return
    ports = {name: find_free_port() for name in ("gateway", "enrolment", "employment")}
    bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    async with (
        environment.database() as gateway_db,
        environment.database() as enrolment_db,
        environment.database() as employment_db,
    ):
        await asyncio.to_thread(upgrade, GATEWAY_ROOT, gateway_db)
        for name, url in (("enrolment", enrolment_db), ("employment", employment_db)):
            await asyncio.to_thread(upgrade, ROOTS[name], url)
        gateway_env = _gateway_env(gateway_db, bases["enrolment"], environment.work_dir / "gateway")
        upstreams = {name: bases[name] for name in ("enrolment", "employment")}
        gateway_env["HOPE_GATEWAY_UPSTREAMS"] = json.dumps(upstreams)
        gateway_env["HOPE_GATEWAY_KAFKA_BOOTSTRAP"] = environment.kafka_bootstrap
        admin = await asyncio.to_thread(_create_admin, gateway_env)
        processes = {"gateway": spawn_uvicorn(FACTORIES["gateway"].factory, ports["gateway"], gateway_env)}
        for name, url in (("enrolment", enrolment_db), ("employment", employment_db)):
            env = _service_env(name, url, environment.kafka_bootstrap, bases["gateway"], environment.work_dir)
            processes[name] = spawn_uvicorn(FACTORIES[name].factory, ports[name], env)
        try:
            for name, process in processes.items():
                await wait_ready(bases[name], process, name, timeout_s=STARTUP_S)
            pids = {name: process.pid for name, process in processes.items()}
            await _measure(bases, pids, admin, environment.kafka_bootstrap, ready, report)
        finally:
            for process in processes.values():
                process.terminate()
            for process in processes.values():
                process.wait(timeout=20)


async def _measure(
    bases: dict[str, str], pids: dict[str, int], admin: tuple[str, str], bootstrap: str, ready: bool, report: Report
) -> None:
    offsets = send_offsets(RATE, DURATION_S)
    async with httpx.AsyncClient(timeout=30) as http:
        tokens = await partners(http, bases["gateway"], await _token(http, bases["gateway"], *admin))
        started = time.perf_counter()
        people = await people_in_step_4(http, bases["enrolment"], tokens, len(offsets))
        await publish_qualifications(bootstrap, people)
        await wait_until_employment_knows(http, bases["employment"], tokens, people)
        report.add(SECTION, "set-up", f"{len(people)} people in step 4 in {time.perf_counter() - started:.0f} s")
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    with profiled(pids):
        clock, statuses, answers_ms = await _load(bases["gateway"], tokens, bootstrap, people, offsets, ready)
    # CPU per outcome says what the load costs whatever else the machine runs (the latency does not).
    spent = {name: (cpu_seconds(pid) - before[name]) / len(offsets) * 1000 for name, pid in pids.items()}
    cpu = ", ".join(f"{name} {value:.1f}" for name, value in spent.items())
    latencies = [value * 1000 for value in clock.latencies_s()]
    label = f"{SECTION} ({RATE:g} req/s, {DURATION_S:g} s, through the gateway)"
    answers = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
    report.add(label, "outcomes sent / answers", f"{len(offsets)} / {answers}")
    if answers_ms:
        answered = f"{quantile(answers_ms, 0.50):.0f} / {quantile(answers_ms, 0.99):.0f} ms"
        report.add(label, "gateway answer (from due), p50 / p99", answered)
    report.add(label, "completions read / twice", f"{len(clock.completed)} / {clock.repeated}")
    report.add(label, "CPU per outcome (ms)", cpu)
    report.add(label, "machine", f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    if not latencies:
        reason = "no completion read" + ("" if ready else " (enrolment has no consumer of outcome.recorded)")
        report.add(label, "p99", f"unmeasured: {reason}", "<= 500 ms")
        return
    report.add(label, "p50", f"{quantile(latencies, 0.50):.0f} ms")
    report.add(label, "p99", f"{quantile(latencies, 0.99):.0f} ms", "<= 500 ms, every person completed")
    report.add(label, "max", f"{max(latencies):.0f} ms")
    # Where the time goes: up to employment's event read, then enrolment's part.
    halfway = [value * 1000 for value in clock.latencies_s(OUTCOME_RECORDED)]
    if halfway:
        split = f"{quantile(halfway, 0.50):.0f} / {quantile(halfway, 0.99):.0f} ms"
        report.add(label, "of which to outcome.recorded read, p50 / p99", split)
    if clock.waiting():
        report.add(label, "never completed", f"{len(clock.waiting())} people (the p99 above leaves them out)")


async def _load(
    gateway: str, tokens: Tokens, bootstrap: str, people: list[str], offsets: list[float], ready: bool
) -> tuple[CompletionClock, Counter[int], list[float]]:
    clock, statuses, answers_ms = CompletionClock(), Counter[int](), list[float]()
    consumer = AIOKafkaConsumer(
        "hope.employment.events",
        "hope.enrolment.events",
        bootstrap_servers=bootstrap,
        group_id=f"bench-completion-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="latest",
    )
    await consumer.start()
    while not consumer.assignment():
        await asyncio.sleep(0.05)
    await consumer.seek_to_end()

    async def read() -> None:
        while True:
            batch = await consumer.getmany(timeout_ms=50)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    clock.note_read(record.headers, now)

    reader = asyncio.create_task(read())
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    exit_on = datetime.now(UTC).date().isoformat()
    async with httpx.AsyncClient(base_url=gateway, headers=tokens.support, limits=limits, timeout=30) as client:

        async def record(person: str, due: float) -> None:
            body = {"beneficiary_id": person, "exit_on": exit_on, "outcome_code": "cdi"}
            answer = await client.post("/api/employment/v1/outcomes", json={**body, "evidence_source": "contract_copy"})
            statuses[answer.status_code] += 1
            answers_ms.append((time.perf_counter() - due) * 1000)

        tasks = []
        start = time.perf_counter()
        for person, offset in zip(people, offsets, strict=True):
            await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))
            clock.note_sent(person, start + offset)
            tasks.append(asyncio.create_task(record(person, start + offset)))
        await asyncio.gather(*tasks)
    # Without enrolment's consumer nothing will come: a short wait shows that much.
    deadline = time.perf_counter() + (COMPLETION_WAIT_S if ready else 3)
    while clock.waiting() and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    reader.cancel()
    await consumer.stop()
    return clock, statuses, answers_ms
