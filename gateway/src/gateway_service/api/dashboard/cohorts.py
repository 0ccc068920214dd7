"""The cohorts the person may see (enrolment decides which), and one cohort: its members' hours and attendance
(training), open absence alerts (training), housing gaps (support), its money (funding) and its monthly
attendance rate (reporting). Each part is asked as the person; a part refused or down says so on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from gateway_service.api.dashboard.figures import Figure, Series, download_links, exports, number
from gateway_service.api.dashboard.sources import Fetched, Sources, Status, path_of
from gateway_service.api.dashboard.view import View
from hopekit.api.pagination import MAX_LIMIT
from hopekit.api.problems import Problem

Translate = Callable[[str], str]
# The most pages of enrolment's list one screen of cohorts follows when a filter leaves few of each page.
LIST_PAGES = 5
MONEY = ("committed", "consumed", "claimed", "paid")


def _kept(cohort: dict[str, Any], view: View) -> bool:
    wanted = {
        "region": cohort.get("region"),
        "sector": cohort.get("sector_code"),
        "provider": cohort.get("training_provider_org_id"),
        "track": cohort.get("track"),
    }
    return all(view.narrowed_to(name) in (None, value) for name, value in wanted.items())


async def cohort_list(sources: Sources, view: View, after: str | None = None) -> Fetched:
    """One screen of the cohorts, from enrolment's cursor ``after`` on: a page of enrolment's list, or, with a
    filter (enrolment's list has none), the pages it takes to fill a screen, LIST_PAGES at most. ``next_cursor``
    is where the next screen starts. A national programme's thousands of cohorts on one page were followed page
    after page and written out whole: the page took over a second."""

    def kept(cohorts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [cohort for cohort in cohorts if _kept(cohort, view)]

    found = await sources.pages(
        "enrolment", "/v1/cohorts", {}, LIST_PAGES, after, enough=lambda cohorts: len(kept(cohorts)) >= MAX_LIMIT
    )
    if not found.ok:
        if after and found.code == 400:
            raise Problem(400, "invalid-cursor", "This link to the next cohorts is not one the dashboard gave out.")
        return found
    return Fetched(Status.OK, kept(found.data), next_cursor=found.next_cursor)


async def _alerts(sources: Sources, course_ids: list[str]) -> Fetched:
    found = await asyncio.gather(
        *(sources.every("training", "/v1/alerts", course_id=course, status="open") for course in course_ids)
    )
    failed = next((part for part in found if not part.ok), None)
    return failed or Fetched(Status.OK, [alert for part in found for alert in part.data])


def _money_figure(t: Translate, money: dict[str, Any], cohort_id: UUID, view: View) -> Figure:
    return Figure(
        key="cohort_money",
        title=t("figure.cohort_money"),
        labels=[t(f"money.{name}") for name in MONEY],
        series=[Series(t("euros"), [Decimal(str(money[name])) for name in MONEY])],
        unit="euros",
        downloads=download_links("cohort_money", view.query(), cohort=str(cohort_id)),
    )


def _attendance_figure(t: Translate, answer: dict[str, Any], cohort_id: UUID, view: View) -> Figure:
    months = [row for row in answer["series"] if row["group"] != "total"]
    query = {**view.reporting_query(), "by": "month", "cohort": str(cohort_id)}
    return Figure(
        key="cohort_attendance",
        title=t("figure.cohort_attendance"),
        labels=[row["group"] for row in months],
        series=[Series(t("figure.cohort_attendance"), [number(row["figures"].get("rate")) for row in months])],
        unit="rate",
        chart="line",
        months=True,
        downloads=exports("attendance_rate", query),
    )


async def cohort_page(sources: Sources, t: Translate, cohort_id: UUID, view: View) -> dict[str, Any]:
    # The cohort is asked together with its parts, not before them: each service applies its own rules to the
    # person, and the parts are dropped unseen when enrolment does not show the cohort.
    cohort, ledger, gaps, money, attendance = await asyncio.gather(
        sources.get("enrolment", path_of("/v1/cohorts/{}", cohort_id)),
        sources.get("training", path_of("/v1/cohorts/{}/ledger", cohort_id)),
        sources.every("support", "/v1/housing-gaps", cohort_id=str(cohort_id)),
        sources.get("funding", path_of("/v1/money/cohorts/{}", cohort_id)),
        sources.get(
            "reporting",
            "/v1/indicators/attendance_rate",
            **{**view.reporting_query(), "by": "month", "cohort": str(cohort_id)},
        ),
    )
    if not cohort.ok:
        return {"status": cohort.status}
    courses = ledger.data["courses"] if ledger.ok else []
    alerts = await _alerts(sources, [course["course_id"] for course in courses]) if ledger.ok else ledger
    return {
        "status": Status.OK,
        "cohort": cohort.data,
        "ledger": ledger,
        "alerts": alerts,
        "gaps": gaps,
        "money": money,
        "figures": [
            *([_attendance_figure(t, attendance.data, cohort_id, view)] if attendance.ok else []),
            *([_money_figure(t, money.data, cohort_id, view)] if money.ok else []),
        ],
        "attendance": attendance,
    }
