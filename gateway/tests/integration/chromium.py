"""A person at the dashboard in Debian's Chromium, driven by Playwright: for the browser tests against the stand-in
platform (here) and against the whole platform (tests/e2e). Signing in through the invitation, opening a page
(its charts drawn, a screenshot kept), reading a table, and the errors the page met (console, CSP, 4xx/5xx)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, async_playwright

from .people import PASSWORD

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


def errors_of(page: Page) -> list[str]:
    """What went wrong in the page since it opened: console errors, script errors, answers of 400 or more."""
    errors: list[str] = page.errors  # type: ignore[attr-defined]
    return errors


async def sign_in(chromium: Browser, gateway_url: str, invitation_url: str, email: str) -> tuple[BrowserContext, Page]:
    """The person accepts their invitation (a password), signs in, and sets up their second factor when their
    role asks for one: the dashboard is open, in French (the browser's language)."""
    context = await chromium.new_context(base_url=gateway_url, locale="fr-FR")
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
    await page.goto("/" + invitation_url.split("/", 3)[3])
    await page.fill("#password", PASSWORD)
    await page.fill("#confirmation", PASSWORD)
    await page.click("main button[type=submit]")
    await page.wait_for_url("**/sign-in**")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.click("main button[type=submit]")
    if "/second-factor/setup" in page.url:
        secret = (await page.text_content("code.secret") or "").replace(" ", "")
        await page.fill("#code", pyotp.TOTP(secret).now())
        await page.click("main button[type=submit]")
    await page.wait_for_url("**/dashboard")
    return context, page


async def open_page(page: Page, path: str, screenshot: Path) -> dict[str, Any]:
    """The page with its charts drawn, its screenshot kept; its load times (ms)."""
    await page.goto(path)
    await page.wait_for_selector("html[data-charts-ready=true]")
    drawn = await page.eval_on_selector_all("canvas[data-chart]", "cs => cs.map(c => c.dataset.drawn === 'true')")
    assert all(drawn), f"{path}: a chart was not drawn"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(screenshot), full_page=True)
    timing: dict[str, Any] = await page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {response_ms: n.responseEnd - n.startTime, load_ms: n.loadEventEnd - n.startTime}; }"
    )
    return timing


async def switch_language(page: Page, lang: str) -> None:
    """The language, chosen in the page's header (the view's query is kept)."""
    await page.select_option("#lang", lang)
    await page.click("header button[type=submit]")
    await page.wait_for_selector(f"html[lang={lang}][data-charts-ready=true]")


def plain(text: str) -> str:
    return re.sub(r"[\s\u202f\xa0]", "", text)


async def table(page: Page, key: str) -> list[list[str]]:
    """The rows of the table ``data-table=key``, each cell's text without spaces."""
    rows: list[list[str]] = await page.eval_on_selector_all(
        f'table[data-table="{key}"] tbody tr', "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))"
    )
    return [[plain(cell) for cell in row] for row in rows]
