"""What the dashboard's tables must show, worked out from the services' own answers to the same person (reporting's
indicators, enrolment's cohorts, training's ledgers and alerts, support's housing gaps, funding's money,
employment's demand and follow-ups), and the tables as the browser shows them, read back into numbers.

A row is its label then its values; a value is a number (Decimal), None where the page says "suppressed", or the
dash of a figure of nobody (NO_FIGURE). A label the page writes in the person's language (a month, a money
stage) is compared as None: not compared."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from gateway.tests.integration.chromium import plain, table
from playwright.async_api import Page

from gateway_service.api.dashboard_codes import code_label
from gateway_service.api.messages import translator
from hope_contracts.codes import REGION_NAMES

Row = list[Any]
SUPPRESSED = {"fr": "masqué", "en": "suppressed"}
MONEY = ("committed", "consumed", "claimed", "paid")
EMPLOYMENT = ("employment_at_exit", "employment_at_3_months", "employment_at_6_months", "employment_at_12_months")
FOLLOW_UP_MONTHS = (3, 6, 12)
# A rate of nobody (no leaver has reached that follow-up, an attendance rate before any session): an en dash.
NO_FIGURE = "\u2013"


def value_of(cell: str, lang: str) -> Decimal | str | None:
    """A cell as the page writes it in ``lang`` ("1 234,5 %", "€1,234.50", "masqué"), as a number; a figure of
    nobody as the dash the page writes."""
    if cell == SUPPRESSED[lang]:
        return None
    if cell == NO_FIGURE:
        return NO_FIGURE
    digits = cell.replace("€", "").replace("%", "")
    digits = digits.replace(",", ".") if lang == "fr" else digits.replace(",", "")
    number = Decimal(digits)
    return number / 100 if "%" in cell else number


async def shown(page: Page, key: str, lang: str, texts: int = 1) -> list[Row]:
    """The table ``key``: its first ``texts`` cells as text, the others as numbers."""
    return [row[:texts] + [value_of(cell, lang) for cell in row[texts:]] for row in await table(page, key)]


def unlabelled(rows: list[Row]) -> list[Row]:
    return [[None, *row[1:]] for row in rows]


def _figure(value: Any, unit: str = "count") -> Decimal | None:
    if value is None:
        return None
    if unit == "rate":
        return Decimal(str(value)).quantize(Decimal("0.001"))  # the page shows a share to 0.1 %
    return Decimal(str(value))


def _label(group: str) -> str:
    # "Total" in both languages; the programme page is grouped by region, whose names are the same in both; a
    # funder's group is already its name.
    return "Total" if group == "total" else plain(REGION_NAMES.get(group, group))


def named(kind: str, code: str, lang: str) -> str:
    """A code as the page names it in ``lang`` (the gateway's catalogue: the words are the page's own)."""
    return plain(code_label(translator(lang), kind, code))  # as the page's cells are read: without spaces


def _groups(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The answer's groups, its total last, as the programme page lists them."""
    rows = answer["groups"]
    return [row for row in rows if row["group"] != "total"] + [row for row in rows if row["group"] == "total"]


def breakdown(answer: dict[str, Any]) -> list[Row]:
    """people_per_step, dropouts_by_reason: each group's people in each category."""
    categories = answer["indicator"]["categories"]
    return [[_label(row["group"]), *(_figure(row["categories"].get(c)) for c in categories)] for row in _groups(answer)]


def entries_and_exits(entries: dict[str, Any], exits: dict[str, Any]) -> list[Row]:
    """Per month, people who entered and who left (a month not in an answer had nobody)."""
    months = sorted({row["group"] for row in entries["series"] + exits["series"] if row["group"] != "total"})
    by_month = [{row["group"]: row["people"] for row in answer["series"]} for answer in (entries, exits)]
    return [[None, *(_figure(people.get(month, 0)) for people in by_month)] for month in months]


def employment(answers: list[dict[str, Any]]) -> list[Row]:
    """Each group's employment rate at exit and at 3, 6 and 12 months: no figure where the group counts nobody
    (or is not in the answer), suppressed where reporting hides the rate of someone."""
    groups: list[str] = []
    for answer in answers:
        groups += [row["group"] for row in _groups(answer) if row["group"] not in groups]
    rates = [{row["group"]: _rate(row) for row in answer["groups"]} for answer in answers]
    return [[_label(group), *(rate.get(group, NO_FIGURE) for rate in rates)] for group in groups]


def _rate(row: dict[str, Any]) -> Decimal | str | None:
    return NO_FIGURE if row["people"] == 0 else _figure(row["figures"].get("rate"), "rate")


def money_by_funder(answer: dict[str, Any], funders: dict[str, str]) -> list[Row]:
    return [
        [_label(funders.get(row["group"], row["group"])), *(_figure(row["figures"].get(m)) for m in MONEY)]
        for row in answer["groups"]
    ]


def money_by_agreement(agreements: list[dict[str, Any]], money: dict[str, dict[str, Any]]) -> list[Row]:
    return [[None, *(_figure(money[a["id"]][m]) for m in MONEY)] for a in agreements]


def cohorts(listed: list[dict[str, Any]], lang: str) -> list[Row]:
    """The cohorts page's rows: name, sector, region, track as text, then members and capacity."""
    texts = (("sector", "sector_code"), ("region", "region"), ("track", "track"))
    numbers = ("member_count", "capacity")
    return [
        [plain(c["name"]), *(named(kind, c[n], lang) for kind, n in texts), *(_figure(c[n]) for n in numbers)]
        for c in listed
    ]


def ledger(answer: dict[str, Any]) -> list[Row]:
    """Each member's hours in each course: planned, attended, remaining, completion and attendance rates."""
    rows = []
    for course in answer["courses"]:
        for person in course["people"]:
            hours = person["hours"]
            rows.append(
                [
                    person["beneficiary_id"][:8],
                    _figure(person["step"]),
                    *(_figure(hours[h]) for h in ("planned", "attended", "remaining")),
                    _figure(hours["completion_rate"], "rate"),
                    NO_FIGURE if hours["attendance_rate"] is None else _figure(hours["attendance_rate"], "rate"),
                ]
            )
    return rows


def shown_ledger(rows: list[list[str]], lang: str) -> list[Row]:
    return [[row[0], *(value_of(cell, lang) for cell in row[1:])] for row in rows]


def cohort_money(money: dict[str, Any]) -> list[Row]:
    return [[None, _figure(money[m])] for m in MONEY]


def monthly_rates(answer: dict[str, Any]) -> list[Row]:
    return [[None, _figure(row["figures"].get("rate"), "rate")] for row in answer["series"] if row["group"] != "total"]


def demand(lines: list[dict[str, Any]], lang: str) -> list[Row]:
    return [
        [
            named("sector", line["sector_code"], lang),
            named("region", line["region_code"], lang),
            _figure(line["pledged_places"]),
            _figure(line["open_positions"]),
        ]
        for line in lines
    ]


def vacancies(listed: list[dict[str, Any]], lang: str) -> list[Row]:
    """Open positions counted by sector, region and status (in the order of their codes)."""
    counted: Counter[tuple[str, str, str]] = Counter()
    for vacancy in listed:
        counted[(vacancy["sector_code"], vacancy["region_code"], vacancy["status"])] += vacancy["positions"]
    kinds = ("sector", "region", "vacancy_status")
    return [
        [*(named(kind, code, lang) for kind, code in zip(kinds, key, strict=True)), _figure(positions)]
        for key, positions in sorted(counted.items())
    ]


def follow_ups(summary: list[dict[str, Any]]) -> list[Row]:
    """Follow-ups at 3, 6 and 12 months, one column per status (in the order of their names)."""
    statuses = sorted({line["status"] for line in summary})
    counts = {(line["months_after_exit"], line["status"]): line["count"] for line in summary}
    return [[None, *(_figure(counts.get((m, s), 0)) for s in statuses)] for m in FOLLOW_UP_MONTHS]
