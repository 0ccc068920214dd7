"""Exported cells: formulas neutralised in every text cell, numbers kept, suppressed cells said."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from reporting_service.domain.exports import SUPPRESSED, neutralised, workbook
from reporting_service.domain.indicators.figures import Row
from reporting_service.domain.indicators.registry import BY_ID


@pytest.mark.parametrize(
    "text", ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\r=x", '=HYPERLINK("http://x","y")']
)
def test_a_text_cell_that_a_spreadsheet_would_run_is_shown_as_written(text: str) -> None:
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["84", "logistics", "a=b", "", "total"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert neutralised(text) == text


def test_the_workbook_holds_the_definitions_the_completeness_and_the_figures_with_suppressed_cells() -> None:
    indicator = BY_ID["employment_at_exit"]
    rows = [
        Row(
            "=cmd|' /C calc'!A0",
            12,
            {"employed": 7, "not_employed": 5, "no_outcome": 0},
            {"rate": Decimal("0.5833")},
            False,
        ),
        Row("11", None, {"employed": None, "not_employed": None, "no_outcome": 0}, {"rate": None}, True),
        Row("total", -3, {"employed": 7, "not_employed": 5, "no_outcome": 0}, {"rate": Decimal("-0.5")}, False),
    ]
    complete = datetime(2026, 11, 30, 18, tzinfo=UTC)
    about, groups, _ = workbook(indicator, "by=region", complete, "rule", rows, rows)
    described = dict((line[0], line[1]) for line in about.rows)
    assert described["definition (fr)"] == indicator.definition[0]
    assert described["complete up to"] == "2026-11-30T18:00:00+00:00"
    assert groups.rows[0][:3] == ["group", "people", "employed"]
    assert groups.rows[1][0] == "'=cmd|' /C calc'!A0"
    assert groups.rows[2][1] == SUPPRESSED
    assert groups.rows[3][1] == -3, "a number stays a number, negative or not"
    assert groups.rows[3][-1] == Decimal("-0.5")
