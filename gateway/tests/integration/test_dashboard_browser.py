"""The dashboard in a real browser (Debian's Chromium driven by Playwright) in front of the stand-in platform
(dashboard_platform: reporting real on hand-made facts, one stand-in for the other services, support down): the
programme operator accepts their invitation, sets up their second factor and signs in; every page opens with
its charts drawn by Chart.js and no error in the console (a Content-Security-Policy violation is one), support's
part of a cohort's page saying it is unavailable; reporting's suppressed cells read "masqué". Screenshots and
load times under var/test-artefacts/dashboard/.

The same pages from the real services, in two languages and for the coordinators of two training providers and
of a support provider, are tests/e2e/test_dashboard_browser.py (minutes: the whole platform and a programme);
this one stays for the quick run and for a service that is down."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from hope_contracts.codes import REGION_NAMES

from .chromium import chromium, errors_of, plain, sign_in, table  # noqa: F401 - the module's fixture
from .chromium import open_page as open_in
from .dashboard_platform import ARTEFACTS, DashboardPlatform, Person, dashboard  # noqa: F401 - the module's fixture

# About a minute (the platform's start, then a real browser over seven pages): with the suite's one marker for
# slow tests, which `-m "not faults"` leaves out of a fast run; `make test` and CI run it.
pytestmark = [pytest.mark.integration, pytest.mark.slow]

PAGES = {
    "programme": "/dashboard?by=region",
    "cohorts": "/dashboard/cohorts",
    "funding": "/dashboard/funding",
    "employers": "/dashboard/employers",
    "follow-ups": "/dashboard/follow-ups",
    "dropout-risks": "/dashboard/dropout-risks",
}


async def signed_in(chromium: Browser, platform: DashboardPlatform, person: Person) -> tuple[Any, Page]:  # noqa: F811
    return await sign_in(chromium, platform.gateway_url, person.invitation_url, person.email)


async def open_page(page: Page, path: str, shot: str) -> dict[str, Any]:
    return await open_in(page, path, Path(ARTEFACTS / f"{shot}.png"))


async def test_the_dashboard_in_a_browser(chromium: Browser, dashboard: DashboardPlatform) -> None:  # noqa: F811
    context, page = await signed_in(chromium, dashboard, dashboard.operator)
    timings = {}
    for name, path in PAGES.items():
        timings[name] = await open_page(page, path, f"operator-{name}-fr")
    cohort_path = f"/dashboard/cohorts/{dashboard.cohort_a}"
    timings["cohort"] = await open_page(page, cohort_path, "operator-cohort-fr")
    # support is down: its housing gaps say so, and the rest of the cohort's page is there.
    gaps = page.locator("section", has=page.locator("h2", has_text="Ruptures d'hébergement"))
    assert await gaps.locator(".unavailable").count() == 1
    assert len(await table(page, "ledger")) == 3

    # The figures shown are reporting's answer to this person: counts, and "masqué" where it says null.
    await page.goto(PAGES["programme"])
    answer = await (await page.request.get("/api/reporting/v1/indicators/people_per_step?by=region")).json()
    categories = answer["indicator"]["categories"]
    expected = [
        [plain({"total": "Total", "unknown": "Non renseigné"}.get(row["group"]) or REGION_NAMES[row["group"]])]
        + ["masqué" if row["categories"][c] is None else str(row["categories"][c]) for c in categories]
        for row in answer["groups"]
    ]
    assert await table(page, "people_per_step") == expected
    assert any("masqué" in row for row in expected)

    assert errors_of(page) == []
    await context.close()
    (ARTEFACTS / "timings.json").write_text(json.dumps(timings, indent=2))
