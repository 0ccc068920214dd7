"""The dashboard's figures that are not reporting's download from the gateway as CSV and XLSX: the numbers the page
shows, as numbers, for the person's organisation only, text a spreadsheet would run as a formula shown as text,
and every download audited."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from gateway_service.adapters.tables import kit

from .dashboard_platform import FORMULA_REFERENCE, DashboardPlatform, dashboard, signed_in_fixture  # noqa: F401
from .people import Browser
from .test_dashboard_pages import charts

pytestmark = pytest.mark.integration

operator = signed_in_fixture("operator")
provider_a = signed_in_fixture("provider_a")

_LINK = re.compile(r'href="(/dashboard/downloads/[^"]+)"')


def links(page_html: str) -> list[str]:
    return [html.unescape(link) for link in _LINK.findall(page_html)]


def csv_sheets(body: bytes) -> dict[str, list[list[str]]]:
    """The file's sheets by name (``# name`` lines), each its rows."""
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    found: dict[str, list[list[str]]] = {}
    current: list[list[str]] = []
    for row in csv.reader(io.StringIO(text[1:])):
        if row and row[0].startswith("# "):
            current = found.setdefault(row[0][2:], [])
        elif row:
            current.append(row)
    return found


def xlsx_rows(body: bytes, sheet: str) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(body))
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


async def audited(dashboard: DashboardPlatform, figure: str) -> list[Any]:  # noqa: F811
    async with dashboard.gateway_app.state.uow_factory() as uow:
        query = select(kit.audit).where(kit.audit.c.object_type == "dashboard_figure", kit.audit.c.object_id == figure)
        return list((await uow.connection.execute(query)).all())


async def test_the_agreements_table_downloads_with_the_pages_figures_and_formulas_shown_as_text(
    dashboard: DashboardPlatform,  # noqa: F811
    operator: Browser,
) -> None:
    page = await operator.get("/dashboard/funding?by=region&from=2026-01-01")
    shown = charts(page.text)["money_by_agreement"]
    wanted = [link for link in links(page.text) if "money_by_agreement" in link]
    assert wanted == [
        "/dashboard/downloads/money_by_agreement?by=region&from=2026-01-01&format=csv",
        "/dashboard/downloads/money_by_agreement?by=region&from=2026-01-01&format=xlsx",
    ]
    assert "data-csv" not in page.text
    before = len(await audited(dashboard, "money_by_agreement"))

    as_csv = await operator.get(wanted[0])
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["content-disposition"].startswith('attachment; filename="money_by_agreement-')
    sheets = csv_sheets(as_csv.content)
    header, *rows = sheets["money_by_agreement"]
    assert header == ["Groupe", *(dataset["label"] for dataset in shown["datasets"])]
    assert [row[0] for row in rows] == ["'" + label if label.startswith("=") else label for label in shown["labels"]]
    assert rows[1][0] == "'" + FORMULA_REFERENCE + " · Région Auvergne-Rhône-Alpes"
    for column, dataset in enumerate(shown["datasets"], start=1):
        assert [Decimal(row[column]) for row in rows] == [Decimal(str(value)) for value in dataset["data"]]
    assert ["filters", "by=region&from=2026-01-01"] in sheets["about"]

    as_xlsx = await operator.get(wanted[1])
    assert as_xlsx.status_code == 200, as_xlsx.text
    assert as_xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    header, *cells = xlsx_rows(as_xlsx.content, "money_by_agreement")
    assert [row[0] for row in cells] == [row[0] for row in rows]  # the formula stays text, apostrophe and all
    for column, dataset in enumerate(shown["datasets"], start=1):
        assert [row[column] for row in cells] == dataset["data"]  # numbers, not text

    kept = await audited(dashboard, "money_by_agreement")
    assert len(kept) == before + 2
    assert {row.action for row in kept} == {"export"}
    assert {row.reason for row in kept[-2:]} == {
        "format=csv by=region&from=2026-01-01",
        "format=xlsx by=region&from=2026-01-01",
    }
    assert all(row.actor.startswith("person:") for row in kept)


async def test_demand_and_follow_ups_download_as_the_page_counts_them(operator: Browser) -> None:
    employers = await operator.get("/dashboard/employers")
    demand = charts(employers.text)["demand_by_sector"]
    got = csv_sheets((await operator.get("/dashboard/downloads/demand_by_sector?format=csv")).content)
    assert [row[0] for row in got["demand_by_sector"][1:]] == demand["labels"]
    assert [[int(cell) for cell in row[1:]] for row in got["demand_by_sector"][1:]] == [
        [int(dataset["data"][i]) for dataset in demand["datasets"]] for i in range(len(demand["labels"]))
    ]

    follow_ups = await operator.get("/dashboard/follow-ups")
    assert "/dashboard/downloads/follow_ups?format=xlsx" in links(follow_ups.text)
    rows = xlsx_rows((await operator.get("/dashboard/downloads/follow_ups?format=xlsx")).content, "follow_ups")
    shown = charts(follow_ups.text)["follow_ups"]
    assert [row[1:] for row in rows[1:]] == [
        [dataset["data"][i] for dataset in shown["datasets"]] for i in range(len(shown["labels"]))
    ]


async def test_a_cohorts_money_downloads_for_its_own_provider_and_for_no_other(
    dashboard: DashboardPlatform,  # noqa: F811
    provider_a: Browser,
) -> None:
    own = await provider_a.get(f"/dashboard/cohorts/{dashboard.cohort_a}")
    link = next(link for link in links(own.text) if "cohort_money" in link and link.endswith("format=csv"))
    assert f"cohort={dashboard.cohort_a}" in link
    got = csv_sheets((await provider_a.get(link)).content)
    assert [row[1] for row in got["cohort_money"][1:]] == ["4000.00", "1250.50", "1000.00", "800.25"]

    other = await provider_a.get(f"/dashboard/downloads/cohort_money?cohort={dashboard.cohort_b}&format=csv")
    assert other.status_code == 404, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    # A follow-up summary the provider's organisation has nothing in: no figure on the page, none to download.
    assert (await provider_a.get("/dashboard/downloads/follow_ups?format=csv")).status_code == 404


async def test_bad_download_requests_are_problems_and_nobody_signed_in_goes_to_sign_in(
    dashboard: DashboardPlatform,  # noqa: F811
    operator: Browser,
) -> None:
    for path, status in (
        ("/dashboard/downloads/people_per_step?format=csv", 404),  # reporting's: its own export
        ("/dashboard/downloads/money_by_agreement?format=pdf", 422),
        ("/dashboard/downloads/cohort_money?format=csv", 422),
        ("/dashboard/downloads/cohort_money?cohort=not-a-uuid", 422),
        ("/dashboard/downloads/money_by_agreement?from=2026-02-01&to=2026-01-01", 422),
    ):
        answer = await operator.get(path)
        assert answer.status_code == status, (path, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json"), path
    anonymous = await dashboard.http.get("/dashboard/downloads/money_by_agreement?format=csv")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/sign-in"
