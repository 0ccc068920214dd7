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

# Minutes long (the national programme is made and copied first): with the suite's marker for slow tests.
pytestmark = [pytest.mark.integration, pytest.mark.faults]

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


async def national_facts(reporting_db: str, orgs: list[uuid.UUID], funder: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    await copy(reporting_db, await asyncio.to_thread(national))
    return uuid.uuid4(), uuid.uuid4()


@pytest.fixture(scope="module")
async def national_dashboard(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[DashboardPlatform]:
    async with dashboard_platform(postgres_admin_url, kafka_bootstrap, national_facts) as platform:
        yield platform


async def timed(browser: Browser, path: str, *, complete: bool = True) -> float:
    started = time.perf_counter()
    page = await browser.get(path)
    elapsed = time.perf_counter() - started
    assert page.status_code == 200, page.text
    if complete:
        assert "indisponible" not in page.text, path  # the figures were there, not a message
    return elapsed


async def test_each_page_loads_in_under_a_second_at_national_scale(national_dashboard: DashboardPlatform) -> None:
    operator = await signed_in(national_dashboard, national_dashboard.operator)
    figures = {}
    for path in PAGES:
        # The first read after the COPY finds reporting's caches cold: it may pass the 3 s a page waits for a
        # service, and that part of the page then says "unavailable". Its time is kept, not held to the target.
        first = await timed(operator, path, complete=False)
        samples = [await timed(operator, path) for _ in range(TIMES)]
        figures[path] = {
            "first_s": round(first, 3),
            "median_s": round(statistics.median(samples), 3),
            "max_s": round(max(samples), 3),
        }
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "national-timings.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    slow = {path: f for path, f in figures.items() if f["median_s"] >= TARGET_S}
    assert not slow, f"pages over {TARGET_S} s at national scale: {slow}"
