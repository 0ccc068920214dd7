"""What a dashboard page is asked to show, from its URL's query, so that a view can be shared: the dimension the
figures are grouped by, the period, and a region, sector, provider or track to narrow to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import Depends, Query

from hopekit.api.problems import Problem

Dimension = Literal["region", "sector", "provider", "track"]
DIMENSIONS: tuple[Dimension, ...] = ("region", "sector", "provider", "track")
_Value = Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9_\-]*$")]


@dataclass(frozen=True)
class View:
    by: Dimension = "region"
    start: date | None = None
    end: date | None = None
    region: str | None = None
    sector: str | None = None
    provider: str | None = None
    track: str | None = None

    def narrowed_to(self, dimension: str) -> str | None:
        value: str | None = getattr(self, dimension, None)
        return value or None

    def reporting_query(self) -> dict[str, str]:
        """What reporting's /v1/indicators/{id} is asked (its groups are narrowed here, as it has no such filter)."""
        query: dict[str, str] = {"by": self.by}
        if self.start:
            query["from"] = self.start.isoformat()
        if self.end:
            query["to"] = self.end.isoformat()
        return query

    def query(self) -> str:
        """This view as a URL query, for links that keep it."""
        shown: dict[str, str | None] = {
            "by": self.by,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            **{d: getattr(self, d) for d in DIMENSIONS},
        }
        return urlencode({name: value for name, value in shown.items() if value})

    def keeps(self, row: dict[str, object]) -> bool:
        """A group row of the answer, as narrowed: with a filter on the grouping dimension, only its row."""
        only = self.narrowed_to(self.by)
        return only is None or row.get("group") == only


def view_of(
    by: Annotated[Dimension, Query()] = "region",
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    region: _Value = None,
    sector: _Value = None,
    provider: _Value = None,
    track: _Value = None,
) -> View:
    if start and end and start > end:
        raise Problem(422, "invalid-period", "The period's first day (from) comes after its last day (to).")
    return View(by, start, end, region, sector, provider, track)


Chosen = Annotated[View, Depends(view_of)]
