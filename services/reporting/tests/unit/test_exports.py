"""Exported cells: numbers kept, suppressed cells said (the kit's writers neutralise formulas in every text cell:
libs/hopekit/tests/unit/test_spreadsheets.py, and test_exports_api.py through the API)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from reporting_service.domain.exports import SUPPRESSED, workbook
from reporting_service.domain.indicators.figures import Row
from reporting_service.domain.indicators.registry import BY_ID


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
    assert groups.rows[1][0] == "=cmd|' /C calc'!A0", "the file writer neutralises, once"
    assert groups.rows[2][1] == SUPPRESSED
    assert groups.rows[3][1] == -3, "a number stays a number, negative or not"
    assert groups.rows[3][-1] == Decimal("-0.5")
