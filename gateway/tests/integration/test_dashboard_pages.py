"""The dashboard's pages as each person gets them: the figures are reporting's answer to that person, a
provider's coordinator sees its own cohort and not another's, a refused read says "not available", nobody
signed in goes to the sign-in page, and the person's language writes the words and the numbers."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest

from .dashboard_platform import DashboardPlatform, dashboard, signed_in_fixture  # noqa: F401 - the module's fixture
from .people import Browser

pytestmark = pytest.mark.integration

operator = signed_in_fixture("operator")
provider_a = signed_in_fixture("provider_a")

_CHART = re.compile(r'<script type="application/json" id="chart-([a-z_]+)">(.*?)</script>', re.S)


def charts(html: str) -> dict[str, dict[str, Any]]:
    return {key: json.loads(body) for key, body in _CHART.findall(html)}


async def reporting(browser: Browser, indicator: str, **query: str) -> dict[str, Any]:
    answer = await browser.call("GET", f"/api/reporting/v1/indicators/{indicator}", csrf=False, params=query)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def as_chart(value: Any, scale: int = 1) -> float | None:
    return None if value is None else float(Decimal(str(value)) * scale)


async def test_nobody_signed_in_is_sent_to_sign_in(dashboard: DashboardPlatform) -> None:  # noqa: F811
    for path in ("/dashboard", "/dashboard/cohorts", "/dashboard/funding", f"/dashboard/cohorts/{dashboard.cohort_a}"):
        page = await dashboard.http.get(path)
        assert page.status_code == 303
        assert page.headers["location"] == "/sign-in"


async def test_the_programme_page_shows_reportings_figures_for_the_person(operator: Browser) -> None:
    page = await operator.get("/dashboard?by=region")
    assert page.status_code == 200, page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # no inline script
    drawn = charts(page.text)
    assert set(drawn) == {"people_per_step", "entries_exits", "employment", "dropouts_by_reason"}
    answer = await reporting(operator, "people_per_step", by="region")
    groups = answer["groups"]
    for index, category in enumerate(answer["indicator"]["categories"]):
        shown = drawn["people_per_step"]["datasets"][index]["data"]
        assert shown == [row["categories"][category] for row in groups]
    # A suppressed cell is null in the chart and "suppressed" in the table, never 0.
    suppressed = sum(value is None for row in groups for value in row["categories"].values())
    assert suppressed > 0
    assert page.text.count('class="suppressed"') >= suppressed
    employment = await reporting(operator, "employment_at_exit", by="region")
    rates = {row["group"]: as_chart(row["figures"]["rate"], 100) for row in employment["groups"]}
    assert drawn["employment"]["datasets"][0]["data"] == [rates.get(g) for g in [r["group"] for r in groups]]
    assert drawn["employment"]["reference"] == 72.0
    assert "/api/reporting/v1/indicators/people_per_step/export?by=region&amp;format=csv" in page.text


async def test_the_export_link_downloads_the_same_figures(operator: Browser) -> None:
    csv = await operator.call(
        "GET", "/api/reporting/v1/indicators/people_per_step/export", csrf=False, params={"by": "region"}
    )
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")


async def test_a_providers_coordinator_sees_its_own_cohort_only(
    dashboard: DashboardPlatform,  # noqa: F811
    provider_a: Browser,
) -> None:
    listed = await provider_a.get("/dashboard/cohorts")
    assert str(dashboard.cohort_a) in listed.text
    assert str(dashboard.cohort_b) not in listed.text
    own = await provider_a.get(f"/dashboard/cohorts/{dashboard.cohort_a}")
    assert own.status_code == 200
    assert "data-cohort-name" in own.text
    # support is down: its part says so, the rest of the page is there.
    assert "Service momentanément indisponible" in own.text
    assert 'data-table="ledger"' in own.text
    other = await provider_a.get(f"/dashboard/cohorts/{dashboard.cohort_b}")
    assert other.status_code == 200
    assert "Non disponible pour votre organisation" in other.text
    assert "data-cohort-name" not in other.text
    # reporting scopes the provider's figures to its own cohort: the page shows its answer, not the programme's.
    mine = await reporting(provider_a, "people_per_step", by="cohort")
    assert {row["group"] for row in mine["groups"]} <= {str(dashboard.cohort_a), "total"}
    drawn = charts((await provider_a.get("/dashboard?by=provider")).text)
    assert drawn["people_per_step"]["labels"] == [str(dashboard.provider_a.org_id), "Total"]


async def test_a_page_the_organisation_may_not_see_says_so(provider_a: Browser) -> None:
    page = await provider_a.get("/dashboard/dropout-risks")
    assert page.status_code == 200
    assert "Non disponible pour votre organisation" in page.text


async def test_the_language_chosen_writes_words_and_numbers(operator: Browser) -> None:
    french = await operator.get("/dashboard/funding")
    assert "Financements" in french.text
    # The agreement's committed amount, French style (CLDR's narrow and plain no-break spaces).
    assert "48\u202f000,00\xa0€" in french.text
    chosen = await operator.post_form(
        "/language", {"lang": "en", "next": "/dashboard/funding?by=region"}, csrf_from="/dashboard/funding"
    )
    assert chosen.headers["location"] == "/dashboard/funding?by=region"
    english = await operator.get("/dashboard/funding?by=region")
    assert '<html lang="en">' in english.text
    assert "Funding" in english.text
    assert "€48,000.00" in english.text
    await operator.post_form("/language", {"lang": "fr", "next": "/dashboard"}, csrf_from="/dashboard")


async def test_a_filter_stays_in_the_url_and_narrows_the_groups(operator: Browser) -> None:
    page = await operator.get("/dashboard?by=region&region=84&from=2023-01-01&to=2026-11-30")
    drawn = charts(page.text)
    assert drawn["people_per_step"]["labels"] == ["Auvergne-Rhône-Alpes"]  # the region by its name
    assert 'href="/dashboard/cohorts?by=region&amp;from=2023-01-01&amp;to=2026-11-30&amp;region=84"' in page.text
    refused = await operator.get("/dashboard?from=2026-02-01&to=2026-01-01")
    assert refused.status_code == 422
