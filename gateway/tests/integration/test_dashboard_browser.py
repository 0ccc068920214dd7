"""The dashboard in a real browser: Debian's Chromium driven by Playwright. The programme operator accepts their
invitation, sets up their second factor and signs in; every page opens with its charts drawn by Chart.js and no
error in the console (a Content-Security-Policy violation is one); the figures in the tables are reporting's
answer to that person; the language switches; a training provider's coordinator sees its own cohort and not
another's. A screenshot of each page is kept under var/test-artefacts/dashboard/, with the pages' load times."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pyotp
import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, async_playwright

from .dashboard_platform import ARTEFACTS, DashboardPlatform, Person, dashboard  # noqa: F401 - the module's fixture
from .people import PASSWORD

# About a minute (the platform's start, then a real browser over nine pages): with the suite's one marker for
# slow tests, which `-m "not faults"` leaves out of a fast run; `make test` and CI run it.
pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "programme": "/dashboard?by=region",
    "cohorts": "/dashboard/cohorts",
    "funding": "/dashboard/funding",
    "employers": "/dashboard/employers",
    "follow-ups": "/dashboard/follow-ups",
    "dropout-risks": "/dashboard/dropout-risks",
}


@pytest.fixture(scope="module")
async def chromium() -> AsyncIterator[Browser]:
    # In CI a missing browser fails here: the test command installs it (make test, infra/install-chromium.sh).
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


def _an_error(message: ConsoleMessage) -> bool:
    # The browser asks for /favicon.ico by itself; the pages name no icon.
    return message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")


async def sign_in(chromium: Browser, platform: DashboardPlatform, person: Person) -> tuple[BrowserContext, Page]:
    context = await chromium.new_context(base_url=platform.gateway_url, locale="fr-FR")
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if _an_error(message) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: errors.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    page.errors = errors  # type: ignore[attr-defined]
    # The link names the gateway's public address; this one listens elsewhere.
    await page.goto("/" + person.invitation_url.split("/", 3)[3])
    await page.fill("#password", PASSWORD)
    await page.fill("#confirmation", PASSWORD)
    await page.click("main button[type=submit]")
    await page.wait_for_url("**/sign-in**")
    await page.fill("#email", person.email)
    await page.fill("#password", PASSWORD)
    await page.click("main button[type=submit]")
    if "/second-factor/setup" in page.url:
        secret = (await page.text_content("code.secret") or "").replace(" ", "")
        await page.fill("#code", pyotp.TOTP(secret).now())
        await page.click("main button[type=submit]")
    await page.wait_for_url("**/dashboard")
    return context, page


async def open_page(page: Page, path: str, shot: str) -> dict[str, Any]:
    await page.goto(path)
    await page.wait_for_selector("html[data-charts-ready=true]")
    drawn = await page.eval_on_selector_all("canvas[data-chart]", "cs => cs.map(c => c.dataset.drawn === 'true')")
    assert all(drawn), f"{path}: a chart was not drawn"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTEFACTS / f"{shot}.png"), full_page=True)
    timing: dict[str, Any] = await page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {response_ms: n.responseEnd - n.startTime, load_ms: n.loadEventEnd - n.startTime}; }"
    )
    return timing


def plain(text: str) -> str:
    return re.sub(r"[\s\u202f\xa0]", "", text)


async def table(page: Page, key: str) -> list[list[str]]:
    rows: list[list[str]] = await page.eval_on_selector_all(
        f'table[data-table="{key}"] tbody tr', "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    return [[plain(cell) for cell in row] for row in rows]


async def test_the_dashboard_in_a_browser(chromium: Browser, dashboard: DashboardPlatform) -> None:  # noqa: F811
    context, page = await sign_in(chromium, dashboard, dashboard.operator)
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
    await page.select_option("#lang", "en")
    await page.click("header button[type=submit]")
    await page.wait_for_selector("html[lang=en][data-charts-ready=true]")
    assert page.url.endswith(PAGES["programme"])
    assert await page.text_content("h1") == "The programme at a glance"
    assert "suppressed" in [cell for row in await table(page, "people_per_step") for cell in row]
    for name in ("programme", "funding"):
        timings[f"{name}-en"] = await open_page(page, PAGES[name], f"operator-{name}-en")
    assert page.errors == []  # type: ignore[attr-defined]
    await context.close()

    # A training provider's coordinator: its own cohort, not another provider's.
    context, page = await sign_in(chromium, dashboard, dashboard.provider_a)
    await open_page(page, PAGES["cohorts"], "provider-a-cohorts-fr")
    links = await page.eval_on_selector_all("table[data-table=cohorts] a", "links => links.map(a => a.href)")
    assert links == [f"{dashboard.gateway_url}/dashboard/cohorts/{dashboard.cohort_a}"]
    await open_page(page, f"/dashboard/cohorts/{dashboard.cohort_b}", "provider-a-other-cohort-fr")
    assert "Non disponible pour votre organisation" in (await page.text_content("main") or "")
    await open_page(page, PAGES["dropout-risks"], "provider-a-dropout-risks-fr")
    assert await page.is_visible(".not-available")
    assert page.errors == []  # type: ignore[attr-defined]
    await context.close()
    (ARTEFACTS / "timings.json").write_text(json.dumps(timings, indent=2))
