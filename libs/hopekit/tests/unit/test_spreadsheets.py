"""The kit's CSV and XLSX writers: every text cell that a spreadsheet would run as a formula is shown as text,
whoever made the rows; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from hopekit.spreadsheets import FORMULA_STARTS, Sheet, as_csv, as_xlsx, neutralised

DANGEROUS = [start + 'HYPERLINK("https://attacker.example")' for start in FORMULA_STARTS]
ROWS = [["label", "amount"], *[[text, Decimal("-12.50")] for text in DANGEROUS], ["Région", 3]]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_would_run_as_a_formula_gets_an_apostrophe_once(text: str) -> None:
    assert neutralised(text) == "'" + text
    assert neutralised(neutralised(text)) == "'" + text


def test_the_csv_file_shows_formulas_as_text_and_keeps_numbers() -> None:
    body = as_csv([Sheet("figures", ROWS)])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))
    assert rows[0] == ["# figures"]
    assert [row[0] for row in rows[2 : 2 + len(DANGEROUS)]] == ["'" + text for text in DANGEROUS]
    assert rows[2][1] == "-12.50"  # a negative amount stays a number
    assert rows[-2] == ["Région", "3"]


def test_the_xlsx_file_holds_no_formula_and_numbers_as_numbers() -> None:
    book = load_workbook(io.BytesIO(as_xlsx([Sheet("about", [["what", "=1+1"]]), Sheet("figures", ROWS)])))
    assert book.sheetnames == ["about", "figures"]
    cells = [cell for row in book["figures"].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = [[cell.value for cell in row] for row in book["figures"].iter_rows()]
    # XML reads a carriage return back as a line feed: the apostrophe is what matters.
    assert [row[0] for row in values[1 : 1 + len(DANGEROUS)]] == ["'" + t.replace("\r", "\n") for t in DANGEROUS]
    assert values[1][1] == -12.5
    assert book["about"]["B1"].value == "'=1+1"
