"""Employers and vacancies by sector and region (employment's demand and vacancies), the follow-ups due
(employment), and a support provider's dropout-risk list (reporting)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Any

from gateway_service.api.dashboard.figures import Figure, Series, download_links
from gateway_service.api.dashboard.sources import Fetched, Sources, Status
from gateway_service.api.dashboard.view import View
from gateway_service.api.dashboard_codes import VACANCY_STATUSES, code_label

Translate = Callable[[str], str]
FOLLOW_UP_MONTHS = (3, 6, 12)


def _demand_figure(t: Translate, lines: list[dict[str, Any]], view: View) -> Figure:
    """Pledged places and open positions per sector, summed over the regions shown."""
    pledged: Counter[str] = Counter()
    open_positions: Counter[str] = Counter()
    for line in lines:
        pledged[line["sector_code"]] += line["pledged_places"]
        open_positions[line["sector_code"]] += line["open_positions"]
    sectors = sorted(pledged.keys() | open_positions.keys())
    return Figure(
        key="demand_by_sector",
        title=t("figure.demand_by_sector"),
        labels=[code_label(t, "sector", sector) for sector in sectors],
        series=[
            Series(t("pledged_places"), [pledged[s] for s in sectors]),
            Series(t("open_positions"), [open_positions[s] for s in sectors]),
        ],
        downloads=download_links("demand_by_sector", view.query()),
    )


async def _vacancies(sources: Sources, view: View) -> Fetched:
    """Every vacancy the person may see, in the view's sector and region. Its pages are asked one after another,
    so each status's share is asked at the same time as the others': a third of the pages in a row."""
    parts = await asyncio.gather(
        *(sources.every("employment", "/v1/vacancies", sector_code=view.sector, status=s) for s in VACANCY_STATUSES)
    )
    failed = next((part for part in parts if not part.ok), None)
    if failed is not None:
        return failed
    found = [v for part in parts for v in part.data if view.region in (None, v["region_code"])]
    return Fetched(Status.OK, found, truncated=any(part.truncated for part in parts))


async def employers_page(sources: Sources, t: Translate, view: View) -> dict[str, Any]:
    demand, vacancies = await asyncio.gather(
        sources.get("employment", "/v1/demand", sector_code=view.sector, region_code=view.region),
        _vacancies(sources, view),
    )
    counted: Counter[tuple[str, str, str]] = Counter()
    for vacancy in vacancies.data if vacancies.ok else []:
        counted[(vacancy["sector_code"], vacancy["region_code"], vacancy["status"])] += vacancy["positions"]
    return {
        "status": Status.OK,
        "demand": demand,
        "vacancies": vacancies,
        "vacancy_counts": sorted(counted.items()),
        "figures": [_demand_figure(t, demand.data, view)] if demand.ok and demand.data else [],
    }


def _follow_up_figure(t: Translate, counts: list[dict[str, Any]]) -> Figure:
    statuses = sorted({line["status"] for line in counts})
    by_key = {(line["months_after_exit"], line["status"]): line["count"] for line in counts}
    return Figure(
        key="follow_ups",
        title=t("figure.follow_ups"),
        labels=[t(f"months_after_exit.{m}") for m in FOLLOW_UP_MONTHS],
        series=[
            Series(t(f"follow_up.{status}"), [by_key.get((m, status), 0) for m in FOLLOW_UP_MONTHS])
            for status in statuses
        ],
        downloads=download_links("follow_ups", ""),
    )


async def follow_ups_page(sources: Sources, t: Translate) -> dict[str, Any]:
    summary, overdue = await asyncio.gather(
        sources.get("employment", "/v1/follow-ups/summary"),
        sources.get("employment", "/v1/follow-ups", overdue="true", limit=100),
    )
    overdue_counts = (
        {m: sum(line["overdue"] for line in summary.data if line["months_after_exit"] == m) for m in FOLLOW_UP_MONTHS}
        if summary.ok
        else {}
    )
    return {
        "status": Status.OK,
        "summary": summary,
        "overdue": overdue,
        "overdue_counts": overdue_counts,
        "figures": [_follow_up_figure(t, summary.data)] if summary.ok and summary.data else [],
    }


async def dropout_risks_page(sources: Sources, after: str | None = None) -> dict[str, Any]:
    """One screen of the provider's people at risk (by id, as reporting lists them)."""
    found = await sources.screen("reporting", "/v1/dropout-risks", after)
    return {"status": found.status, "risks": found}
