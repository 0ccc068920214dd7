"""/v1/indicators/{id}/export: an indicator's table as CSV or XLSX (openpyxl), with its definitions and the date
of completeness in the file. Every export is audited: who, which indicator, when, with which filters."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import Response
from openpyxl import Workbook

from hopekit.api.transaction import service_router
from reporting_service.api.dependencies import UoW
from reporting_service.api.indicator_views import SUPPRESSION_RULE
from reporting_service.api.indicators import Chosen, Reader
from reporting_service.domain.exports import Sheet, workbook
from reporting_service.service_layer import indicators

router = service_router(tags=["exports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_csv(sheets: list[Sheet]) -> bytes:
    """One file: each sheet's name on a line of its own, its rows, a blank line. UTF-8 with a BOM, so that a
    spreadsheet reads the accents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for sheet in sheets:
        writer.writerow([f"# {sheet.name}"])
        writer.writerows(sheet.rows)
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(sheets: list[Sheet]) -> bytes:
    book = Workbook(write_only=True)
    for sheet in sheets:
        page = book.create_sheet(sheet.name)
        for row in sheet.rows:
            page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@router.get(
    "/v1/indicators/{indicator_id}/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}}},
)
async def export_indicator(
    indicator_id: str,
    principal: Reader,
    uow: UoW,
    chosen: Chosen,
    format: Annotated[Literal["csv", "xlsx"], Query(description="The file's format.")] = "csv",
) -> Response:
    """The figures by group and by month, and the definitions, as a file; suppressed cells say so."""
    answer = await indicators.answer(uow, principal, indicator_id, chosen)
    sheets = workbook(
        answer.indicator, chosen.described(), answer.complete_up_to, SUPPRESSION_RULE, answer.groups, answer.series
    )
    uow.audit(principal, "export", "indicator", answer.indicator.id, reason=f"format={format} {chosen.described()}")
    name = f"{answer.indicator.id}-{chosen.by}-{chosen.start.isoformat()}-{chosen.end.isoformat()}.{format}"
    body, media = (as_csv(sheets), "text/csv; charset=utf-8") if format == "csv" else (as_xlsx(sheets), XLSX)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
