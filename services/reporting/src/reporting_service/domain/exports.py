"""What an exported indicator table holds, cell by cell, whatever the file format: the definitions and the date
of completeness first, then the figures by group and by month, suppressed cells marked.

The file writers (``hopekit.spreadsheets``) show any text cell a spreadsheet would run as a formula as written;
numbers stay numbers (a negative amount is a number, not text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from reporting_service.domain.indicators.figures import Row
from reporting_service.domain.indicators.registry import Indicator

Value = str | int | Decimal | None
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Value]]


def about(indicator: Indicator, filters: str, complete_up_to: datetime | None, rule: str) -> Sheet:
    """The definitions, the filters and up to when the figures are complete."""
    lines: list[list[Value]] = [
        ["indicator", indicator.id],
        ["version", indicator.version],
        ["title (fr)", indicator.title[0]],
        ["title (en)", indicator.title[1]],
        ["definition (fr)", indicator.definition[0]],
        ["definition (en)", indicator.definition[1]],
        ["numerator (fr)", indicator.numerator[0]],
        ["numerator (en)", indicator.numerator[1]],
        ["denominator (fr)", indicator.denominator[0]],
        ["denominator (en)", indicator.denominator[1]],
        ["dated by (en)", indicator.dated_by[1]],
        ["code", indicator.code],
        ["filters", filters],
        ["complete up to", complete_up_to.isoformat() if complete_up_to else "no event yet"],
        ["suppression", rule],
    ]
    return Sheet("definition", lines)


def figures(name: str, indicator: Indicator, rows: Sequence[Row]) -> Sheet:
    measures = sorted({measure for row in rows for measure in row.figures})
    header: list[Value] = ["group", "people", *indicator.categories, *measures]
    body: list[list[Value]] = [header]
    for row in rows:
        counts = [row.categories.get(c) for c in indicator.categories]
        values: list[Value] = [row.group, row.people, *counts, *(row.figures.get(m) for m in measures)]
        body.append([SUPPRESSED if v is None else v for v in values])
    return Sheet(name, body)


def workbook(
    indicator: Indicator,
    filters: str,
    complete_up_to: datetime | None,
    rule: str,
    groups: Sequence[Row],
    series: Sequence[Row],
) -> list[Sheet]:
    return [
        about(indicator, filters, complete_up_to, rule),
        figures("by group", indicator, groups),
        figures("by month", indicator, series),
    ]
