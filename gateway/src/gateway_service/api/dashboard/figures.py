"""A figure of the dashboard: one chart, the table of the same numbers, and where to download them.

The chart's numbers go to the browser as JSON (read by dashboard.js, no inline script); the table is written
here, each cell in the person's locale. A suppressed cell (null in reporting's answer: fewer than the threshold
of people, or hidden so that no other could be recovered) stays null in the chart, a gap, and reads
"suppressed" in the table: never 0, which means nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Literal
from urllib.parse import urlencode

from gateway_service.api.dashboard.formats import Formats

Unit = Literal["count", "rate", "euros"]
FileFormat = Literal["csv", "xlsx"]
FORMATS: tuple[FileFormat, ...] = ("csv", "xlsx")


class Missing(Enum):
    """A cell with nothing to count (no leaver has reached that follow-up yet: a rate of nobody), which is not
    a suppressed figure: a gap in the chart, a dash in the table."""

    NO_FIGURE = "no_figure"


NO_FIGURE = Missing.NO_FIGURE
NO_FIGURE_SHOWN = "\u2013"  # an en dash, as the ledger shows an attendance rate not yet known
Value = int | Decimal | Missing | None


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Value]


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    labels: list[str]
    series: list[Series]
    unit: Unit = "count"
    chart: Literal["bar", "line"] = "bar"
    # Bars of each label stacked (the parts of one whole: people per step in a region).
    stacked: bool = False
    # A reference drawn across the chart (a share: 0.72 for the programme's employment target).
    reference: Decimal | None = None
    reference_label: str = ""
    # (what, URL): reporting's exports of the same figures, through the gateway, or the gateway's own download
    # of a figure from another service (download_links).
    downloads: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    # Labels that are months of a series ("2026-03"), written as the month's name in the person's language.
    months: bool = False

    def shown_labels(self, formats: Formats) -> list[str]:
        return [formats.month(label) for label in self.labels] if self.months else list(self.labels)

    def chart_data(self, formats: Formats, lang: str) -> dict[str, Any]:
        """What dashboard.js draws: plain numbers (a rate as a percentage), null where suppressed."""
        scale = Decimal(100) if self.unit == "rate" else Decimal(1)
        return {
            "type": self.chart,
            "lang": lang,
            "unit": self.unit,
            "labels": self.shown_labels(formats),
            "datasets": [{"label": s.name, "data": [_plotted(v, scale) for v in s.values]} for s in self.series],
            "stacked": self.stacked,
            "reference": None if self.reference is None else float(self.reference * scale),
            "referenceLabel": self.reference_label,
        }

    def table(self, formats: Formats, suppressed: str) -> list[list[str]]:
        """One row per label, one column per series, each cell written in the person's locale."""
        write: Callable[[Any], str] = {"count": formats.count, "rate": formats.rate, "euros": formats.euros}[self.unit]

        def cell(value: Value) -> str:
            if value is None:
                return suppressed
            return NO_FIGURE_SHOWN if value is NO_FIGURE else write(value)

        labels = self.shown_labels(formats)
        return [[label, *(cell(s.values[i]) for s in self.series)] for i, label in enumerate(labels)]


def _plotted(value: Value, scale: Decimal) -> float | None:
    return None if value is None or value is NO_FIGURE else float(Decimal(value) * scale)


def number(value: Any) -> Value:
    """A figure as reporting sends it: an int, a decimal string, or null (suppressed)."""
    if value is None:
        return None
    return value if isinstance(value, int) else Decimal(str(value))


def exports(indicator_id: str, query: dict[str, str], what: str = "") -> list[tuple[str, str]]:
    """reporting's CSV and XLSX export of an indicator, asked through the gateway with the session cookie."""
    return [
        (
            f"{what} {fmt.upper()}".strip(),
            f"/api/reporting/v1/indicators/{indicator_id}/export?" + urlencode({**query, "format": fmt}),
        )
        for fmt in FORMATS
    ]


def download_links(key: str, query: str, **extra: str) -> list[tuple[str, str]]:
    """The gateway's CSV and XLSX download of a figure that is not reporting's (api.dashboard.downloads), with
    the page's view (``query``) and ``extra`` (a cohort) kept."""
    links = []
    for fmt in FORMATS:
        asked = urlencode({**extra, "format": fmt})
        links.append((fmt.upper(), f"/dashboard/downloads/{key}?" + (f"{query}&{asked}" if query else asked)))
    return links


def rows_except_total(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if row["group"] != "total"]


def total_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    return next((row for row in rows if row["group"] == "total"), None)
