"""What the kit's request path costs: one enrolment worker on PostgreSQL, two requests.

- ``GET /v1/sectors``: authenticated (a real token, verified), no database: the kit's middleware, the token
  check and FastAPI's routing and serialisation, nothing else;
- ``GET /v1/beneficiaries/{id}``: the audited read: the token, the request's transaction, the person and their
  history and consents, the access rule, the audit row written and committed before the answer is sent.

Enrolment runs as the platform runner starts it (one uvicorn worker, its own process); the load comes from
other processes: wrk at saturation (answers/s), then this package's open-loop generator at half of that rate
(p99 without queueing). The machine is shared, so each figure comes with the CPU the service process spent per
answer (its user + system time over the answers), which background load does not inflate as it does time.
``HOPE_BENCH_PROFILE_DIR`` samples the service with py-spy during one more saturation of each request.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.enrolment_latency import ENROLMENT_ROOT
from benchmarks.environment import BenchEnvironment
from benchmarks.processes import cpu_seconds, spawn_uvicorn, wait_ready
from benchmarks.profiling import PROFILE_DIR, profiled
from benchmarks.report import Report
from benchmarks.saturation import ensure_wrk, json_from, saturate, wrk_version
from benchmarks.tails import quantile
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hope_infra.services import SERVICES
from hopekit.db.migrations import upgrade
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer

# Rounds alternate the two requests, so that background load on the shared machine meets both alike.
ROUNDS = 3
SATURATION_S = 8
# Fewer than the pool's 10 connections: more would open and close overflow connections on every burst, a cost of
# the pool's size, not of a request.
CONNECTIONS = 8
OPEN_LOOP_S = 15
# p99 is read at this share of the throughput measured at saturation.
RATE_SHARE = 0.5
ENROLMENT = next(service for service in SERVICES if service.name == "enrolment")


@dataclass
class Measured:
    answers: int = 0
    errors: int = 0
    seconds: float = 0.0
    cpu_s: float = 0.0
    rates: list[float] | None = None

    @property
    def per_s(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_answer(self) -> float:
        return self.cpu_s / self.answers * 1000 if self.answers else float("nan")


def start_enrolment(url: str, bootstrap: str, issuer: TokenIssuer, port: int) -> subprocess.Popen[bytes]:
    env = {
        "HOPE_ENROLMENT_DATABASE_URL": url,
        "HOPE_ENROLMENT_KAFKA_BOOTSTRAP": bootstrap,
        "HOPE_ENROLMENT_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
        "HOPE_ENROLMENT_JWT_ISSUER": TEST_ISSUER,
        "HOPE_ENROLMENT_JWT_AUDIENCE": TEST_AUDIENCE,
        "HOPE_ENROLMENT_LOG_LEVEL": "WARNING",
    }
    return spawn_uvicorn(ENROLMENT.factory, port, env, ENROLMENT.uvicorn_options)


async def _beneficiary(base: str, headers: dict[str, str]) -> str:
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
        response = await http.post(
            "/v1/beneficiaries",
            json={
                "given_name": "Bench",
                "family_name": "Person",
                "birth_date": "1990-01-01",
                "nationality": "AFG",
                "protection_status": "refugee",
            },
        )
        response.raise_for_status()
        beneficiary: str = response.json()["id"]
        for path in ("/v1/sectors", f"/v1/beneficiaries/{beneficiary}"):
            answer = await http.get(path)
            assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text}"
        return beneficiary


async def run(environment: BenchEnvironment, report: Report) -> None:
    wrk = ensure_wrk()
    issuer = TokenIssuer.create(environment.work_dir)
    # The registering office reads the person it registered: the full view, no cohort to look up.
    headers = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    port = find_free_port()
    base = f"http://127.0.0.1:{port}"
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, ENROLMENT_ROOT, url)
        process = start_enrolment(url, environment.kafka_bootstrap, issuer, port)
        try:
            await wait_ready(base, process, "enrolment")
            beneficiary = await _beneficiary(base, headers)
            targets = {
                "authenticated, no database (GET /v1/sectors)": f"{base}/v1/sectors",
                "audited beneficiary read (GET /v1/beneficiaries/{id})": f"{base}/v1/beneficiaries/{beneficiary}",
            }
            await measure(process.pid, targets, headers, wrk, environment.work_dir, report)
        finally:
            process.terminate()
            process.wait(timeout=20)


async def measure(
    pid: int, targets: dict[str, str], headers: dict[str, str], wrk: str | None, work_dir: Path, report: Report
) -> None:
    lines = [f"{name}: {value}" for name, value in headers.items()]
    generator = f"wrk {wrk_version(wrk)}, 1 thread" if wrk else "benchmarks.load closed (2 processes)"
    report.add("request cost: the load", "service", "enrolment, 1 uvicorn worker, PostgreSQL (own process)")
    report.add("request cost: the load", "saturation", f"{generator}, {CONNECTIONS} connections")
    for url in targets.values():
        await saturate(wrk, work_dir, url, lines, CONNECTIONS, 2)  # warm-up: pool, caches, token verified once
    found = {name: Measured(rates=[]) for name in targets}
    for _ in range(ROUNDS):
        for name, url in targets.items():
            before = cpu_seconds(pid)
            run = await saturate(wrk, work_dir, url, lines, CONNECTIONS, SATURATION_S)
            spent = cpu_seconds(pid) - before
            into = found[name]
            into.answers += run.requests
            into.errors += run.errors
            into.seconds += run.seconds
            into.cpu_s += spent
            assert into.rates is not None
            into.rates.append(run.per_s)
    # With HOPE_BENCH_PROFILE_DIR, one more saturation of each request under py-spy (after the measured rounds,
    # which the sampling would slow): <dir>/enrolment-<request>.txt, collapsed stacks.
    if PROFILE_DIR:
        for name, url in targets.items():
            with profiled({f"enrolment-{'authenticated' if 'no database' in name else 'audited-read'}": pid}):
                await saturate(wrk, work_dir, url, lines, CONNECTIONS, SATURATION_S)
    for name, url in targets.items():
        measured = found[name]
        section = f"request cost: {name}"
        rates = ", ".join(f"{rate:,.0f}" for rate in measured.rates or [])
        target = ">= 3,000/s" if "no database" in name else ">= 1,000/s"
        report.add(section, "answers/s at saturation", f"{measured.per_s:,.0f} ({measured.errors} errors)", target)
        report.add(section, "each round", f"{rates} /s ({ROUNDS}x{SATURATION_S}s)")
        report.add(section, "service CPU per answer", f"{measured.cpu_ms_per_answer:.3f} ms")
        rate = max(1, int(measured.per_s * RATE_SHARE))
        result = await _open_loop(url, lines, rate)
        latencies = [value * 1000 for value in result["latency_s"]]
        lateness = [value * 1000 for value in result["lateness_s"]]
        if latencies:
            report.add(
                section,
                f"p50 / p99 at {rate:,}/s (open loop, {OPEN_LOOP_S}s)",
                f"{quantile(latencies, 0.5):.2f} / {quantile(latencies, 0.99):.2f} ms ({result['errors']} errors)",
            )
            report.add(section, "generator send lag p99", f"{quantile(lateness, 0.99):.2f} ms")
        if measured.rates and len(measured.rates) > 1:
            spread = statistics.pstdev(measured.rates) / statistics.fmean(measured.rates)
            report.add(section, "spread of the rounds", f"{spread:.0%}")


async def _open_loop(url: str, headers: list[str], rate: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.load", "open", url, "--rate", str(rate)]
    command += ["--duration", str(OPEN_LOOP_S), "--warmup", "2"]
    for header in headers:
        command += ["-H", header]
    goal: dict[str, Any] = (await json_from(command))["goals"][0]
    return goal
