"""A figure's chart and table: a suppressed cell (null) stays null in the chart and reads "suppressed" in the
table, never 0; numbers and months are written in the person's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gateway_service.api.dashboard.figures import Figure, Series, number
from gateway_service.api.dashboard.formats import Formats
from gateway_service.api.dashboard.programme import employment
from gateway_service.api.dashboard.view import View


def test_a_suppressed_cell_is_never_shown_as_zero() -> None:
    figure = Figure("f", "F", ["84", "93"], [Series("people", [number(12), number(None)]), Series("x", [0, 3])])
    chart = figure.chart_data(Formats("en"), "en")
    assert chart["datasets"][0]["data"] == [12.0, None]
    assert chart["datasets"][1]["data"] == [0.0, 3.0]
    assert figure.table(Formats("en"), "suppressed") == [["84", "12", "0"], ["93", "suppressed", "3"]]


def test_rates_are_percentages_in_the_chart_and_written_in_the_locale() -> None:
    figure = Figure("r", "R", ["2026-03"], [Series("rate", [number("0.7234")])], unit="rate", months=True)
    assert figure.chart_data(Formats("fr"), "fr")["datasets"][0]["data"] == [72.34]
    assert figure.table(Formats("fr"), "masqué")[0][0] == "mars 2026"
    assert figure.table(Formats("en"), "suppressed") == [["Mar 2026", "72.3%"]]
    assert figure.table(Formats("fr"), "masqué") == [["mars 2026", "72,3\u00a0%"]]
    assert Formats("fr").euros(Decimal("48000")) == "48\u202f000,00\u00a0€"


def test_a_view_keeps_its_filters_in_its_query_and_narrows_groups() -> None:
    view = View("region", region="84")
    assert view.query() == "by=region&region=84"
    assert view.keeps({"group": "84"})
    assert not view.keeps({"group": "93"})
    assert View("sector", region="84").keeps({"group": "logistics"})


def _employment_answer(indicator_id: str, groups: list[tuple[str, int | None, str | None]]) -> dict[str, Any]:
    rows = [{"group": g, "people": people, "figures": {"rate": rate}} for g, people, rate in groups]
    return {"indicator": {"id": indicator_id}, "groups": rows}


def test_a_rate_of_nobody_is_no_figure_and_not_a_suppressed_one() -> None:
    # At exit: region 11's rate hidden (suppressed), the total's known. At 3 months: nobody has reached it yet,
    # reporting counts nobody in the total (rate null) and gives no row for the regions.
    at_exit = _employment_answer("employment_at_exit", [("11", 10, None), ("total", 20, "0.65")])
    at_3 = _employment_answer("employment_at_3_months", [("total", 0, None)])
    figure = employment(lambda key: key, [at_exit, at_3], View())
    assert figure.table(Formats("fr"), "masqué") == [
        ["Île-de-France", "masqué", "\u2013"],
        ["total", "65\u00a0%", "\u2013"],
    ]
    assert [dataset["data"] for dataset in figure.chart_data(Formats("fr"), "fr")["datasets"]] == [
        [None, 65.0],
        [None, None],
    ]
