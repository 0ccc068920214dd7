"""Registration latency: from the HTTP 201 to the event read by a consumer, at a fixed request rate.

The enrolment service runs as its own uvicorn process on PostgreSQL and Kafka; requests are paced at
RATE per second for DURATION seconds; a consumer in this process notes when each beneficiary's event
arrives. Peak resident memory of the service process is read from /proc (VmHWM).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import time
import uuid
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer

from benchmarks.environment import BenchEnvironment
from benchmarks.processes import peak_rss_mb, spawn_uvicorn, wait_ready
from benchmarks.report import Report
from benchmarks.tails import quantile
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hopekit.db.migrations import upgrade
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer

RATE = 50
DURATION_S = 30
ENROLMENT_ROOT = Path(__file__).resolve().parents[1] / "services" / "enrolment"


def start_service(url: str, bootstrap: str, issuer: TokenIssuer, port: int) -> subprocess.Popen[bytes]:
    env = {
        "HOPE_ENROLMENT_DATABASE_URL": url,
        "HOPE_ENROLMENT_KAFKA_BOOTSTRAP": bootstrap,
        "HOPE_ENROLMENT_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
        "HOPE_ENROLMENT_JWT_ISSUER": TEST_ISSUER,
        "HOPE_ENROLMENT_JWT_AUDIENCE": TEST_AUDIENCE,
        "HOPE_ENROLMENT_LOG_LEVEL": "WARNING",
    }
    return spawn_uvicorn("enrolment_service.main:create_app", port, env)


async def run(environment: BenchEnvironment, report: Report) -> None:
    issuer = TokenIssuer.create(environment.work_dir)
    headers = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    port = find_free_port()
    base = f"http://127.0.0.1:{port}"
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, ENROLMENT_ROOT, url)
        process = start_service(url, environment.kafka_bootstrap, issuer, port)
        try:
            await wait_ready(base, process, "enrolment")
            latencies, sent = await _measure(base, headers, environment.kafka_bootstrap)
            rss = peak_rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=20)
    section = f"registration 201 -> event consumed ({RATE} req/s, {DURATION_S}s)"
    report.add(section, "requests / events seen", f"{sent} / {len(latencies)}")
    report.add(section, "p50", f"{quantile(latencies, 0.50) * 1000:.1f} ms", "<= 20 ms")
    report.add(section, "p99", f"{quantile(latencies, 0.99) * 1000:.1f} ms", "<= 100 ms")
    report.add(section, "mean", f"{statistics.fmean(latencies) * 1000:.1f} ms")
    report.add(section, "service peak RSS", f"{rss:.0f} MB")


async def _measure(base: str, headers: dict[str, str], bootstrap: str) -> tuple[list[float], int]:
    answered: dict[str, float] = {}
    consumed: dict[str, float] = {}
    consumer = AIOKafkaConsumer(
        "hope.enrolment.events",
        bootstrap_servers=bootstrap,
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="latest",
    )
    await consumer.start()
    while not consumer.assignment():
        await asyncio.sleep(0.05)
    await consumer.seek_to_end()

    async def consume() -> None:
        while True:
            batch = await consumer.getmany(timeout_ms=100)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    consumed[record.key.decode()] = now

    reader = asyncio.create_task(consume())
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:

        async def register(n: int) -> None:
            body = {
                "given_name": "Bench",
                "family_name": f"Person-{uuid.uuid4().hex[:12]}",
                "birth_date": "1990-01-01",
                "nationality": "AFG",
                "protection_status": "refugee",
            }
            response = await client.post("/v1/beneficiaries", json=body)
            if response.status_code == 201:
                answered[response.json()["id"]] = time.perf_counter()

        tasks = []
        started = time.perf_counter()
        total = RATE * DURATION_S
        for n in range(total):
            await asyncio.sleep(max(0.0, started + n / RATE - time.perf_counter()))
            tasks.append(asyncio.create_task(register(n)))
        await asyncio.gather(*tasks)
    deadline = time.perf_counter() + 10
    while len(set(answered) - set(consumed)) and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    reader.cancel()
    await consumer.stop()
    latencies = [max(0.0, consumed[key] - answered[key]) for key in answered if key in consumed]
    return latencies, total
