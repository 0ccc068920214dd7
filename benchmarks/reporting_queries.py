"""Reporting at national scale, over HTTP on PostgreSQL: every indicator by region and by month, and exports.

The reporting service runs as its own uvicorn process on a fresh database, without Kafka: the facts stand still
(the topics may hold other sections' events, which its consumers would apply to the seeded read models, and the
seed's marks of what was read would then collide with theirs). ``reporting_data`` writes
100,000 people over ten years in 2,000 cohorts and 12 regions (facts reflecting about 20 million attendance
entries) with COPY. Then, one request at a time, each indicator is asked by region and by month (each answer
also carries its monthly series) as the operator's reporting client; p95 per indicator and dimension, of the
answer computed (a period asked for the first time) and of the answer kept (the same request again while the facts
stand still, as a dashboard's pages ask: ``reporting_service.service_layer.kept_answers``). Exports:
the largest table the API makes (by cohort: 2,000 rows and the series) in CSV and XLSX over HTTP, and a table
of 10,000 rows rendered by the same code in process.

Before the clock runs, every indicator is asked once by region and by month for a period not asked again: the
service's first requests open its pool's connections and prepare its statements, which a running service has
done long before (the first request measured was 70-120 ms for that alone). Each computed figure is the p95 of
``COLD_READS`` periods, each asked for the first time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from benchmarks.environment import BenchEnvironment
from benchmarks.processes import spawn_uvicorn, wait_ready
from benchmarks.report import Report
from benchmarks.reporting_data import PEOPLE, copy, national
from benchmarks.tails import quantile
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.kafka import find_free_port
from hopekit import spreadsheets
from hopekit.db.migrations import upgrade
from hopekit.testing import TEST_AUDIENCE, TEST_ISSUER, TokenIssuer
from reporting_service.domain.exports import workbook
from reporting_service.domain.indicators.figures import Row
from reporting_service.domain.indicators.registry import BY_ID, INDICATORS

REPORTING_ROOT = Path(__file__).resolve().parents[1] / "services" / "reporting"
READS = 10
# Computed answers per indicator and grouping: enough that the p95 is not simply the slowest request.
COLD_READS = 20
TODAY = datetime.now(UTC).date()
EXPORT_ROWS = 10_000


@contextlib.asynccontextmanager
async def _reporting(environment: BenchEnvironment) -> AsyncIterator[tuple[str, str, TokenIssuer]]:
    issuer = TokenIssuer.create(environment.work_dir)
    port = find_free_port()
    async with environment.database() as url:
        await asyncio.to_thread(upgrade, REPORTING_ROOT, url)
        env = {
            "HOPE_REPORTING_DATABASE_URL": url,
            "HOPE_REPORTING_JWT_PUBLIC_KEYS_PATH": str(issuer.jwks_path),
            "HOPE_REPORTING_JWT_ISSUER": TEST_ISSUER,
            "HOPE_REPORTING_JWT_AUDIENCE": TEST_AUDIENCE,
            "HOPE_REPORTING_LOG_LEVEL": "WARNING",
            "HOPE_REPORTING_VAR_DIR": str(environment.work_dir / "reporting-var"),
        }
        process = spawn_uvicorn("reporting_service.main:create_app", port, env)
        try:
            base = f"http://127.0.0.1:{port}"
            await wait_ready(base, process, "reporting")
            yield base, url, issuer
        finally:
            process.terminate()
            process.wait(timeout=20)


async def _timed(client: httpx.AsyncClient, path: str, params: dict[str, str], headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = await client.get(path, params=params, headers=headers)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def _ten_thousand_rows() -> float:
    indicator = BY_ID["employment_at_exit"]
    rows = [
        Row(
            str(uuid.UUID(int=i)),
            40,
            {"employed": 29, "not_employed": 8, "no_outcome": 3},
            {"rate": Decimal("0.725")},
            False,
        )
        for i in range(EXPORT_ROWS)
    ]
    started = time.perf_counter()
    sheets = workbook(indicator, "by=cohort", datetime.now(UTC), "rule", rows, rows[:120])
    files = [spreadsheets.Sheet(sheet.name, sheet.rows) for sheet in sheets]
    spreadsheets.as_csv(files)
    spreadsheets.as_xlsx(files)
    return time.perf_counter() - started


async def run(environment: BenchEnvironment, report: Report) -> None:
    section = f"reporting queries ({PEOPLE:,} people, 2,000 cohorts, 12 regions, ~20 M attendance entries)"
    generating = time.perf_counter()
    facts = await asyncio.to_thread(national)
    report.add(section, "facts generated", f"{time.perf_counter() - generating:.1f} s")
    report.add(section, "attendance entries reflected", f"{facts.attendance_entries:,}")
    async with _reporting(environment) as (base, url, issuer):
        seeding = time.perf_counter()
        await copy(url, facts)
        report.add(section, "seed (COPY + ANALYZE)", f"{time.perf_counter() - seeding:.1f} s")
        worst_cold = worst_kept = 0.0
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            warming = {"to": (TODAY - timedelta(days=COLD_READS + 400)).isoformat()}
            for indicator in INDICATORS:
                for by in ("region", "month"):
                    headers = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.REPORTING)
                    await _timed(client, f"/v1/indicators/{indicator.id}", {"by": by, **warming}, headers)
            for indicator in INDICATORS:
                for by in ("region", "month"):
                    # A fresh token each time: slow answers must not outlive a token (the exports failed on one).
                    headers = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.REPORTING)
                    path = f"/v1/indicators/{indicator.id}"
                    # Computed: each period asked for the first time (they all cover the ten years, so they cost
                    # the same), where nothing is kept yet.
                    periods = [{"by": by, "to": (TODAY - timedelta(days=d)).isoformat()} for d in range(COLD_READS)]
                    cold = [await _timed(client, path, period, headers) for period in periods]
                    # Kept: the dashboard's request again, the facts standing still (``kept_answers``).
                    params = {"by": by}
                    await _timed(client, path, params, headers)
                    kept = [await _timed(client, path, params, headers) for _ in range(READS)]
                    cold_p95, kept_p95 = quantile(cold, 0.95) * 1000, quantile(kept, 0.95) * 1000
                    worst_cold, worst_kept = max(worst_cold, cold_p95), max(worst_kept, kept_p95)
                    report.add(section, f"{indicator.id} by {by}: computed p95", f"{cold_p95:.1f} ms", "<= 50 ms")
                    report.add(section, f"{indicator.id} by {by}: kept p95", f"{kept_p95:.1f} ms", "<= 50 ms")
            report.add(section, "worst indicator p95, computed", f"{worst_cold:.1f} ms", "<= 50 ms")
            report.add(section, "worst indicator p95, kept", f"{worst_kept:.1f} ms", "<= 50 ms")
            for fmt in ("csv", "xlsx"):
                headers = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.REPORTING)
                path, params = "/v1/indicators/employment_at_exit/export", {"by": "cohort", "format": fmt}
                latencies = [await _timed(client, path, params, headers) for _ in range(5)]
                report.add(section, f"export by cohort (2,000 rows + series), {fmt}: max", f"{max(latencies):.2f} s")
    rendered = await asyncio.to_thread(_ten_thousand_rows)
    report.add(section, f"export of {EXPORT_ROWS:,} rows rendered (CSV and XLSX)", f"{rendered:.2f} s", "<= 2 s")
