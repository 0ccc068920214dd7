"""Follow-ups due for one support provider among 100,000 scheduled, read over HTTP on PostgreSQL.

The employment service runs as its own uvicorn process on a fresh database with Kafka. 33,334 exits, spread
over the last two years among 50 support providers, each with its 3-, 6- and 12-month follow-ups (about
100,000 rows; done, unreachable or still due by their dates), are written with COPY straight into the
service's tables: the API path of recording outcomes is not what is measured here. Then, one request at a
time, one provider reads its follow-ups due in the next 30 days (`status=due&due_before=...&limit=50`) and
its overdue ones (`overdue=true&limit=50`).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from benchmarks.environment import BenchEnvironment
from benchmarks.processes import spawn_uvicorn, wait_ready
from benchmarks.report import Report
from benchmarks.tails import quantile
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hopekit.db.migrations import upgrade
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer

EMPLOYMENT_ROOT = Path(__file__).resolve().parents[1] / "services" / "employment"
EXITS = 33_334
PROVIDERS = 50
MONTHS = (3, 6, 12)
READS = 2_000
WARM_UP = 100


def _add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in (start.day, 30, 29, 28):
        with contextlib.suppress(ValueError):
            return date(year, month, day)
    raise AssertionError("unreachable")


def _rows(today: date, providers: list[uuid.UUID]) -> list[tuple[object, ...]]:
    """Past follow-ups mostly answered (some unreachable, some still overdue); future ones due."""
    chance = random.Random(16)  # noqa: S311 - reproducible sample data, no secret
    rows: list[tuple[object, ...]] = []
    for _ in range(EXITS):
        person, provider = uuid.uuid4(), chance.choice(providers)
        exit_on = today - timedelta(days=chance.randrange(730))
        for months in MONTHS:
            due_on = _add_months(exit_on, months)
            if due_on >= today:
                status = "due"
            else:
                status = chance.choices(["done", "unreachable", "due"], weights=[80, 12, 8])[0]
            done = status == "done"
            rows.append(
                (
                    uuid.uuid4(),
                    person,
                    months,
                    due_on,
                    status,
                    due_on if done else None,
                    "cdi" if done else None,
                    "beneficiary_statement" if done else None,
                    provider,
                    False,
                )
            )
    return rows


@contextlib.asynccontextmanager
async def _employment(environment: BenchEnvironment) -> AsyncIterator[tuple[str, str, TokenIssuer]]:
    issuer = TokenIssuer.create(environment.work_dir)
    port = find_free_port()
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, EMPLOYMENT_ROOT, url)
        env = {
            "HOPE_EMPLOYMENT_DATABASE_URL": url,
            "HOPE_EMPLOYMENT_KAFKA_BOOTSTRAP": environment.kafka_bootstrap,
            "HOPE_EMPLOYMENT_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
            "HOPE_EMPLOYMENT_JWT_ISSUER": TEST_ISSUER,
            "HOPE_EMPLOYMENT_JWT_AUDIENCE": TEST_AUDIENCE,
            "HOPE_EMPLOYMENT_LOG_LEVEL": "WARNING",
            "HOPE_EMPLOYMENT_VAR_DIR": str(environment.work_dir / "employment-var"),
        }
        process = spawn_uvicorn("employment_service.main:create_app", port, env)
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_ready(base, process, "employment")
            yield base, url, issuer
        finally:
            process.terminate()
            process.wait(timeout=20)


async def _timed(client: httpx.AsyncClient, path: str, headers: dict[str, str], count: int) -> tuple[list[float], int]:
    latencies, items = [], 0
    for _ in range(count):
        started = time.perf_counter()
        response = await client.get(path, headers=headers)
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
        items = len(response.json()["items"])
    return latencies, items


async def _latency(client: httpx.AsyncClient, path: str) -> float:
    started = time.perf_counter()
    (await client.get(path)).raise_for_status()
    return time.perf_counter() - started


async def run(environment: BenchEnvironment, report: Report) -> None:
    today = datetime.now(UTC).date()
    providers = [uuid.uuid4() for _ in range(PROVIDERS)]
    async with _employment(environment) as (base, url, issuer):
        rows = _rows(today, providers)
        connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            seeding = time.perf_counter()
            await connection.copy_records_to_table(
                "follow_ups",
                records=rows,
                columns=[
                    "id",
                    "beneficiary_id",
                    "months_after_exit",
                    "due_on",
                    "status",
                    "observed_on",
                    "code",
                    "evidence_source",
                    "support_provider_org_id",
                    "public_employment_visible",
                ],
            )
            await connection.execute("ANALYZE follow_ups")
            seeded = time.perf_counter() - seeding
        finally:
            await connection.close()
        headers = issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.READER, org_id=providers[0])
        due = f"/v1/follow-ups?status=due&due_before={(today + timedelta(days=30)).isoformat()}&limit=50"
        overdue = "/v1/follow-ups?overdue=true&limit=50"
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await _timed(client, due, headers, WARM_UP)
            due_latencies, due_items = await _timed(client, due, headers, READS)
            await _timed(client, overdue, headers, WARM_UP)
            overdue_latencies, overdue_items = await _timed(client, overdue, headers, READS)
            # The floor on this machine: the service's cheapest answer (no token, no database), read the same way.
            floor_latencies = [await _latency(client, "/health/live") for _ in range(READS)]
    section = f"employment follow-ups ({len(rows):,} scheduled, {PROVIDERS} support providers)"
    report.add(section, "seed (COPY)", f"{seeded:.1f} s")
    for name, latencies, items in (
        ("due in 30 days, first page", due_latencies, due_items),
        ("overdue, first page", overdue_latencies, overdue_items),
    ):
        report.add(section, f"{name}: items", str(items))
        report.add(section, f"{name}: p50", f"{quantile(latencies, 0.50) * 1000:.1f} ms")
        report.add(section, f"{name}: p99", f"{quantile(latencies, 0.99) * 1000:.1f} ms", "<= 20 ms")
    report.add(section, "floor (GET /health/live): p50", f"{quantile(floor_latencies, 0.50) * 1000:.1f} ms")
    report.add(section, "floor (GET /health/live): p99", f"{quantile(floor_latencies, 0.99) * 1000:.1f} ms")
