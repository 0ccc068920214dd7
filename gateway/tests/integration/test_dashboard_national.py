"""How long the dashboard's pages take at national scale: reporting holds the reporting benchmark's programme
(100,000 people over ten years, 2,000 cohorts, 12 regions, written with COPY), and the programme operator, who
sees all of it, opens each page. Each page is asked once to warm up, then five times; the median and the slowest
are written to var/test-artefacts/dashboard/national-timings.json, with the first (cold) load. The issue's target:
under 1 s."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from benchmarks.reporting_data import copy, national

from .dashboard_platform import ARTEFACTS, DashboardPlatform, dashboard_platform, signed_in
from .people import Browser

# Minutes long (the national programme is made and copied first) and a measurement, not a test: make bench runs it.
pytestmark = [pytest.mark.integration, pytest.mark.national_scale]

PAGES = (
    "/dashboard?by=region",
    "/dashboard?by=provider",
    "/dashboard?by=sector&from=2024-01-01&to=2024-12-31",
    "/dashboard/funding",
    "/dashboard/cohorts",
    "/dashboard/employers",
    "/dashboard/follow-ups",
)
TIMES = 5
TARGET_S = 1.0
PROGRAMME_INDICATORS = (
    "people_per_step",
    "entries",
    "dropouts_by_reason",
    "employment_at_exit",
    "employment_at_3_months",
    "employment_at_6_months",
    "employment_at_12_months",
)


async def national_facts(reporting_db: str, orgs: list[uuid.UUID], funder: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    await copy(reporting_db, await asyncio.to_thread(national))
    return uuid.uuid4(), uuid.uuid4()


@pytest.fixture(scope="module")
async def national_dashboard(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[DashboardPlatform]:
    async with dashboard_platform(postgres_admin_url, kafka_bootstrap, national_facts) as platform:
        yield platform


async def timed(browser: Browser, path: str) -> tuple[float, bool]:
    """How long the page took, and whether every part of it was there (no "unavailable" message)."""
    started = time.perf_counter()
    page = await browser.get(path)
    elapsed = time.perf_counter() - started
    assert page.status_code == 200, page.text
    return elapsed, "indisponible" not in page.text


async def reporting_call(browser: Browser, indicator: str, by: str) -> float:
    started = time.perf_counter()
    answer = await browser.call("GET", f"/api/reporting/v1/indicators/{indicator}", csrf=False, params={"by": by})
    assert answer.status_code == 200, answer.text
    return time.perf_counter() - started


async def test_each_page_answers_at_national_scale_and_its_time_is_kept(national_dashboard: DashboardPlatform) -> None:
    """A measurement: every page answers (200, never a 500) and its times are written down; the issue's 1 s
    target is read from them (the report says whether it holds), as is the time of each of reporting's answers
    the programme page needs, asked alone through the gateway."""
    operator = await signed_in(national_dashboard, national_dashboard.operator)
    figures: dict[str, dict[str, object]] = {}
    for path in PAGES:
        # The first read after the COPY finds reporting's caches cold.
        first, _ = await timed(operator, path)
        samples = [await timed(operator, path) for _ in range(TIMES)]
        seconds = [elapsed for elapsed, _ in samples]
        figures[path] = {
            "first_s": round(first, 3),
            "median_s": round(statistics.median(seconds), 3),
            "max_s": round(max(seconds), 3),
            "complete": all(whole for _, whole in samples),
            "under_target": statistics.median(seconds) < TARGET_S,
        }
    for indicator in PROGRAMME_INDICATORS:
        alone = [await reporting_call(operator, indicator, "region") for _ in range(3)]
        figures[f"reporting {indicator} by=region"] = {"median_s": round(statistics.median(alone), 3)}
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "national-timings.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
