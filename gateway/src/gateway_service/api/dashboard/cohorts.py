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

Translate = Callable[[str], str]
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
    """One screen of the cohorts the view keeps (enrolment's list has no filter: the page narrows it)."""
    return await sources.screen(
        "enrolment", "/v1/cohorts", after, lambda cohorts: [c for c in cohorts if _kept(c, view)]
    )


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
