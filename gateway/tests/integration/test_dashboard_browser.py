"""The dashboard in a real browser: Debian's Chromium driven by Playwright. The programme operator accepts their
invitation, sets up their second factor and signs in; every page opens with its charts drawn by Chart.js and no
error in the console (a Content-Security-Policy violation is one); the figures in the tables are reporting's
answer to that person; the language switches; a training provider's coordinator sees its own cohort and not
another's. A screenshot of each page is kept under var/test-artefacts/dashboard/, with the pages' load times."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from .chromium import chromium, errors_of, sign_in, switch_language, table  # noqa: F401 - the module's fixture
from .chromium import open_page as open_in
from .dashboard_platform import ARTEFACTS, DashboardPlatform, Person, dashboard  # noqa: F401 - the module's fixture

# About a minute (the platform's start, then a real browser over nine pages): with the suite's one marker for
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

    # The figures shown are reporting's answer to this person: counts, and "masqué" where it says null.
    await page.goto(PAGES["programme"])
    answer = await (await page.request.get("/api/reporting/v1/indicators/people_per_step?by=region")).json()
    categories = answer["indicator"]["categories"]
    expected = [
        [("Total" if row["group"] == "total" else row["group"])]
        + ["masqué" if row["categories"][c] is None else str(row["categories"][c]) for c in categories]
        for row in answer["groups"]
    ]
    assert await table(page, "people_per_step") == expected
    assert any("masqué" in row for row in expected)

    # The language, chosen in the page's header, writes the words and keeps the view's query.
    await switch_language(page, "en")
    assert page.url.endswith(PAGES["programme"])
    assert await page.text_content("h1") == "The programme at a glance"
    assert "suppressed" in [cell for row in await table(page, "people_per_step") for cell in row]
    for name in ("programme", "funding"):
        timings[f"{name}-en"] = await open_page(page, PAGES[name], f"operator-{name}-en")
    assert errors_of(page) == []
    await context.close()

    # A training provider's coordinator: its own cohort, not another provider's.
    context, page = await signed_in(chromium, dashboard, dashboard.provider_a)
    await open_page(page, PAGES["cohorts"], "provider-a-cohorts-fr")
    links = await page.eval_on_selector_all("table[data-table=cohorts] a", "links => links.map(a => a.href)")
    assert links == [f"{dashboard.gateway_url}/dashboard/cohorts/{dashboard.cohort_a}"]
    await open_page(page, f"/dashboard/cohorts/{dashboard.cohort_b}", "provider-a-other-cohort-fr")
    assert "Non disponible pour votre organisation" in (await page.text_content("main") or "")
    await open_page(page, PAGES["dropout-risks"], "provider-a-dropout-risks-fr")
    assert await page.is_visible(".not-available")
    assert errors_of(page) == []
    await context.close()
    (ARTEFACTS / "timings.json").write_text(json.dumps(timings, indent=2))
