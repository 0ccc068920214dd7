"""The programme at a glance, from reporting's indicators: people per step, entries and exits by month,
employment at exit and at 3, 6 and 12 months against the programme's 72 % reference, dropouts by reason."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from gateway_service.api.dashboard.figures import NO_FIGURE, Figure, Series, Value, exports, number
from gateway_service.api.dashboard.sources import Fetched, Sources, Status, path_of
from gateway_service.api.dashboard.view import View
from gateway_service.api.dashboard_codes import NAMED, code_label

# The share of leavers in employment the programme aims at (DESIGN.md §1, the funders' reference).
EMPLOYMENT_REFERENCE = Decimal("0.72")
EMPLOYMENT = ("employment_at_exit", "employment_at_3_months", "employment_at_6_months", "employment_at_12_months")
Translate = Callable[[str], str]


async def indicator(sources: Sources, indicator_id: str, view: View, **more: str) -> Fetched:
    return await sources.get(
        "reporting", path_of("/v1/indicators/{}", indicator_id), **{**view.reporting_query(), **more}
    )


def group_label(t: Translate, by: str, group: str) -> str:
    """A group of reporting's answer, grouped ``by`` a dimension: its name where the group is a named code."""
    if group in ("total", "unknown"):  # reporting's group of those whose value of ``by`` it does not know
        return t(group)
    return code_label(t, by, group) if by in NAMED else group


def group_rows(answer: dict[str, Any], view: View) -> list[dict[str, Any]]:
    """The groups as narrowed by the view, then the total (left out when narrowed to one group)."""
    rows = [row for row in answer["groups"] if row["group"] != "total" and view.keeps(row)]
    if view.narrowed_to(view.by) is None:
        rows += [row for row in answer["groups"] if row["group"] == "total"]
    return rows


def breakdown(t: Translate, key: str, answer: dict[str, Any], view: View) -> Figure:
    """Each group's people in each category, stacked."""
    rows = group_rows(answer, view)
    categories = answer["indicator"]["categories"]
    return Figure(
        key=key,
        title=t(f"figure.{key}"),
        labels=[group_label(t, view.by, row["group"]) for row in rows],
        series=[Series(t(f"category.{c}"), [number(row["categories"].get(c)) for row in rows]) for c in categories],
        stacked=True,
        downloads=exports(answer["indicator"]["id"], view.reporting_query()),
    )


def entries_and_exits(t: Translate, entries: dict[str, Any], exits: dict[str, Any], view: View) -> Figure:
    """People registered and people who left the path, per month (exits: employment_at_exit's leavers)."""
    monthly = {**view.reporting_query(), "by": "month"}
    months = sorted({row["group"] for row in entries["series"] + exits["series"] if row["group"] != "total"})

    def people(answer: dict[str, Any]) -> list[Any]:
        by_month = {row["group"]: row["people"] for row in answer["series"]}
        # A month absent from the answer had nobody (reporting gives only months with someone).
        return [number(by_month[m]) if m in by_month else 0 for m in months]

    return Figure(
        key="entries_exits",
        title=t("figure.entries_exits"),
        labels=months,
        series=[Series(t("entries"), people(entries)), Series(t("exits"), people(exits))],
        chart="line",
        months=True,
        downloads=exports("entries", monthly, t("entries")) + exports("employment_at_exit", monthly, t("exits")),
    )


def employment(t: Translate, answers: list[dict[str, Any]], view: View) -> Figure:
    """Each group's employment rate at exit and at each follow-up, against the 72 % reference."""
    labels: list[str] = []
    for answer in answers:
        for row in group_rows(answer, view):
            if row["group"] not in labels:
                labels.append(row["group"])
    series = []
    downloads = []
    for answer in answers:
        rate = {row["group"]: _rate(row) for row in answer["groups"]}
        indicator_id = answer["indicator"]["id"]
        # A group without leavers for an indicator (absent from its answer, or counting nobody) has no rate:
        # shown as suppressed would be wrong, so suppressed (None) only where reporting hides a rate of someone.
        series.append(Series(t(f"figure.{indicator_id}"), [rate.get(group, NO_FIGURE) for group in labels]))
        downloads += exports(indicator_id, view.reporting_query(), t(f"figure.{indicator_id}"))
    return Figure(
        key="employment",
        title=t("figure.employment"),
        labels=[group_label(t, view.by, group) for group in labels],
        series=series,
        unit="rate",
        reference=EMPLOYMENT_REFERENCE,
        reference_label=t("reference_72"),
        downloads=downloads,
    )


def _rate(row: dict[str, Any]) -> Value:
    """A group's employment rate: none when it counts nobody (reporting's null then is no rate, not a hidden one)."""
    return NO_FIGURE if row.get("people") == 0 else number(row["figures"].get("rate"))


async def programme(sources: Sources, t: Translate, view: View) -> dict[str, Any]:
    ids = ("people_per_step", "entries", "dropouts_by_reason", *EMPLOYMENT)
    answers = dict(zip(ids, await asyncio.gather(*(indicator(sources, i, view) for i in ids)), strict=True))
    failed = [fetched.status for fetched in answers.values() if not fetched.ok]
    if failed:
        # One status for the page: "not available" when reporting refuses this person, else "unavailable".
        status = Status.NOT_AVAILABLE if Status.NOT_AVAILABLE in failed else Status.UNAVAILABLE
        return {"status": status, "figures": []}
    data = {i: fetched.data for i, fetched in answers.items()}
    return {
        "status": Status.OK,
        "complete_up_to": data["entries"]["complete_up_to"],
        "figures": [
            breakdown(t, "people_per_step", data["people_per_step"], view),
            entries_and_exits(t, data["entries"], data["employment_at_exit"], view),
            employment(t, [data[i] for i in EMPLOYMENT], view),
            breakdown(t, "dropouts_by_reason", data["dropouts_by_reason"], view),
        ],
    }
