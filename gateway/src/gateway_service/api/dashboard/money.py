"""Funding: committed, consumed, claimed and paid per funder (reporting's money_by_funder, within the person's
scope) and per agreement (funding's own money view of each agreement the person may see)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from gateway_service.api.dashboard.figures import Figure, Series, download_links, exports, number
from gateway_service.api.dashboard.sources import Fetched, Sources, Status, path_of
from gateway_service.api.dashboard.view import View

Translate = Callable[[str], str]
MONEY = ("committed", "consumed", "claimed", "paid")
# Agreements whose money view one page asks for, at most (each is one call to funding; the page says when there
# are more, with this number in its words: truncated_agreements).
MAX_AGREEMENTS = 50


async def _funder_names(sources: Sources) -> dict[str, str]:
    """Funders' names when funding lets the person read them; their ids otherwise."""
    found = await sources.every("funding", "/v1/funders")
    return {funder["id"]: funder["name"] for funder in found.data} if found.ok else {}


async def _agreements(sources: Sources) -> Fetched:
    found = await sources.every("funding", "/v1/agreements")
    if not found.ok:
        return found
    chosen = found.data[:MAX_AGREEMENTS]
    views = await asyncio.gather(
        *(sources.get("funding", path_of("/v1/money/agreements/{}", agreement["id"])) for agreement in chosen)
    )
    failed = next((view for view in views if not view.ok), None)
    if failed is not None:
        return failed
    shown = [{**a, "money": v.data} for a, v in zip(chosen, views, strict=True)]
    return Fetched(Status.OK, shown, truncated=found.truncated or len(found.data) > MAX_AGREEMENTS)


def _per_funder(t: Translate, answer: dict[str, Any], names: dict[str, str], view: View) -> Figure:
    rows = answer["groups"]
    return Figure(
        key="money_by_funder",
        title=t("figure.money_by_funder"),
        labels=[t("total") if row["group"] == "total" else names.get(row["group"], row["group"]) for row in rows],
        series=[Series(t(f"money.{name}"), [number(row["figures"].get(name)) for row in rows]) for name in MONEY],
        unit="euros",
        downloads=exports("money_by_funder", {**view.reporting_query(), "by": "funder"}),
    )


def _per_agreement(t: Translate, agreements: list[dict[str, Any]], names: dict[str, str], view: View) -> Figure:
    return Figure(
        key="money_by_agreement",
        title=t("figure.money_by_agreement"),
        labels=[f"{a['reference']} · {names.get(a['funder_id'], a['funder_id'])}" for a in agreements],
        series=[Series(t(f"money.{name}"), [Decimal(str(a["money"][name])) for a in agreements]) for name in MONEY],
        unit="euros",
        downloads=download_links("money_by_agreement", view.query()),
    )


async def funding_page(sources: Sources, t: Translate, view: View) -> dict[str, Any]:
    query = {**view.reporting_query(), "by": "funder"}
    per_funder, agreements, names = await asyncio.gather(
        sources.get("reporting", "/v1/indicators/money_by_funder", **query),
        _agreements(sources),
        _funder_names(sources),
    )
    return {
        "status": Status.OK,
        "per_funder": per_funder,
        "agreements": agreements,
        "complete_up_to": per_funder.data["complete_up_to"] if per_funder.ok else None,
        "funder_figure": _per_funder(t, per_funder.data, names, view) if per_funder.ok else None,
        "agreement_figure": _per_agreement(t, agreements.data, names, view)
        if agreements.ok and agreements.data
        else None,
    }
