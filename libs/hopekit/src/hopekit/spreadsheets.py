"""Tables as files a person opens in a spreadsheet: CSV (UTF-8 with a BOM, so that accents read right) or XLSX
(openpyxl), each of one or more named sheets.

A spreadsheet runs a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (CSV injection), and openpyxl writes such a string as a formula. The writers here neutralise every text
cell, whoever made the rows: a leading apostrophe, which shows the text as written. Numbers stay numbers (a
negative amount is a number, not text). Needs the ``spreadsheets`` extra (openpyxl).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

Cell = str | int | Decimal | date | datetime | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _safe(value: Cell) -> Cell:
    return neutralised(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters, none of []:*?/\ (an XLSX sheet's name)
    rows: Sequence[Sequence[Cell]]


def as_csv(sheets: Sequence[Sheet]) -> bytes:
    """One file: each sheet's name on a line of its own (``# name``), its rows, a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for sheet in sheets:
        writer.writerow([f"# {sheet.name}"])
        writer.writerows([_safe(value) for value in row] for row in sheet.rows)
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(sheets: Sequence[Sheet]) -> bytes:
    book = Workbook(write_only=True)
    for sheet in sheets:
        page = book.create_sheet(sheet.name)
        for row in sheet.rows:
            page.append([_safe(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
