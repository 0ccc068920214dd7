"""Attendance sheets and CSV imports."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import File, Query, Request, UploadFile
from fastapi.responses import StreamingResponse

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.openapi import FIELD_ERROR, problem_response
from hopekit.api.problems import PROBLEM_MEDIA_TYPE, Problem
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from training_service.api.dependencies import Settings, UoW
from training_service.api.schemas import (
    ImportReportView,
    RefusedEntryView,
    SheetLineView,
    SheetRequest,
    SheetView,
)
from training_service.domain.course import Session
from training_service.service_layer import attendance, import_reports, imports
from training_service.service_layer.attendance import SheetEntry, SheetLine

router = service_router(tags=["attendance"])


def _refused(description: str, members: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """A 422 problem document with ``members`` besides the problem's own, as the document tells it."""
    answer = problem_response(422, description)
    media = answer["content"][PROBLEM_MEDIA_TYPE]
    media["schema"] = {"allOf": [media["schema"], {"type": "object", "properties": members}]}
    return {422: answer}


_SHEET_REFUSED = _refused(
    "Invalid request (errors lists every refused field), or attendance-refused: nothing was recorded and errors "
    "lists every refused entry, with its field, a message and a reason code.",
    {
        "errors": {
            "type": "array",
            "items": {
                "anyOf": [
                    RefusedEntryView.model_json_schema(mode="serialization"),
                    {"$ref": f"#/components/schemas/{FIELD_ERROR}"},
                ]
            },
        }
    },
)
_IMPORT_REFUSED = _refused(
    "Invalid request, or attendance-import-refused (all_or_nothing): nothing was recorded; the import's report, "
    "with its first rejected rows (field, message, reason), is in report.",
    {"report": {"$ref": "#/components/schemas/ImportReportView"}},
)


def _sheet_view(session: Session, entries: list[SheetEntry]) -> SheetView:
    return SheetView(
        session_id=session.id,
        session_hours=session.hours,
        entries=[SheetLineView(beneficiary_id=b, status=s.value, hours_attended=h) for b, s, h in entries],
    )


@router.put(
    "/v1/sessions/{session_id}/attendance",
    response_model=SheetView,
    dependencies=[IDEMPOTENT],
    responses=_SHEET_REFUSED,
)
async def record_sheet(
    session_id: UUID, body: SheetRequest, principal: Caller, uow: UoW, config: Settings
) -> SheetView:
    """Records (or corrects) a session's sheet as a whole: one refused line refuses the sheet, with every reason."""
    lines = [SheetLine(line.beneficiary_id, line.status, line.hours_attended) for line in body.entries]
    recorded = await attendance.record_sheet(uow, principal, session_id, lines, config.absence_rate_threshold)
    view = _sheet_view(recorded.session, recorded.entries)
    return view.model_copy(update={"applied": recorded.applied, "unchanged": recorded.unchanged})


@router.get("/v1/sessions/{session_id}/attendance", response_model=SheetView)
async def read_sheet(session_id: UUID, principal: Caller, uow: UoW) -> SheetView:
    return _sheet_view(*await attendance.read_sheet(uow, principal, session_id))


@router.post("/v1/attendance-imports", response_model=ImportReportView, responses=_IMPORT_REFUSED)
async def import_attendance(
    principal: Caller,
    uow: UoW,
    config: Settings,
    course_id: Annotated[UUID, Query()],
    file: Annotated[UploadFile, File(description="CSV: beneficiary_id, date, start (optional), status, hours")],
    all_or_nothing: bool = False,
    encoding: Literal["utf-8", "windows-1252"] | None = None,
) -> ImportReportView:
    """Every rejected row is reported with its line number; the valid ones are applied in one transaction,
    or none of them when ``all_or_nothing`` is set. Importing the same file again changes nothing."""
    outcome = await imports.import_attendance(
        uow,
        principal,
        course_id,
        file.file,
        declared_encoding="cp1252" if encoding == "windows-1252" else encoding,
        batch_size=config.import_batch_size,
        threshold=config.absence_rate_threshold,
        all_or_nothing=all_or_nothing,
        rejections_shown=config.import_rejections_shown,
    )
    found = outcome.report
    report = ImportReportView.of(
        outcome.import_id,
        found.recording,
        encoding=found.encoding,
        delimiter=found.delimiter,
        rows=found.rows_read,
        atomic=all_or_nothing,
        committed=outcome.committed,
        alerts=outcome.alerts,
    )
    if not outcome.committed:
        # A refusal like any other: a problem document, the import's report in its ``report`` member.
        raise Problem(
            422,
            "attendance-import-refused",
            f"{report.rejected} row(s) refused; nothing was recorded (all_or_nothing).",
            report=report.model_dump(mode="json"),
        )
    return report


@router.get(
    "/v1/attendance-imports/{import_id}/rejections",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every rejected row of the import, as CSV with a header: line, beneficiary_id, field "
            "(the column at fault, empty when the whole row is refused), reason (a code), message.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def import_rejections(import_id: UUID, request: Request, principal: Caller, uow: UoW) -> StreamingResponse:
    """Every row an import rejected, as CSV, for the organisation that imported the file (404 for anyone else)."""
    stored = await import_reports.stored_import(uow, principal, import_id)
    return StreamingResponse(
        import_reports.rejections_csv(request.app.state.uow_factory, stored),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="rejections-{import_id}.csv"'},
    )
