"""/v1/indicators/{id}/export: an indicator's table as CSV or XLSX (openpyxl), with its definitions and the date
of completeness in the file. Every export is audited: who, which indicator, when, with which filters."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import Response

from hopekit import spreadsheets
from hopekit.api.transaction import service_router
from reporting_service.api.dependencies import UoW
from reporting_service.api.indicator_views import SUPPRESSION_RULE
from reporting_service.api.indicators import Chosen, Reader
from reporting_service.domain.exports import workbook
from reporting_service.service_layer import indicators

router = service_router(tags=["exports"])


@router.get(
    "/v1/indicators/{indicator_id}/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, spreadsheets.XLSX_MEDIA_TYPE: {}}}},
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
    files = [spreadsheets.Sheet(sheet.name, sheet.rows) for sheet in sheets]
    if format == "csv":
        body, media = spreadsheets.as_csv(files), spreadsheets.CSV_MEDIA_TYPE
    else:
        body, media = spreadsheets.as_xlsx(files), spreadsheets.XLSX_MEDIA_TYPE
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
