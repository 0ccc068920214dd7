"""Attendance sheets and CSV imports."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import File, Query, UploadFile
from fastapi.responses import JSONResponse

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.problems import Problem
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from hopekit.errors import NotFound
from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.api.dependencies import Settings, UoW
from training_service.api.schemas import (
    ImportReportView,
    RejectionView,
    SheetLineView,
    SheetRequest,
    SheetView,
)
from training_service.service_layer import attendance, courses, imports
from training_service.service_layer.attendance import MarkInput, Recording

router = service_router(tags=["attendance"])


async def _sheet(uow: TrainingUnitOfWork, principal: Principal, session_id: UUID, write: bool = False) -> SheetView:
    session = await uow.courses.session(session_id)
    if session is None:
        raise NotFound("no such session")
    await courses.load(uow, principal, session.course_id, write=write)
    lines = await uow.attendance.sheet(session.id)
    return SheetView(
        session_id=session.id,
        session_hours=session.hours,
        entries=[SheetLineView(beneficiary_id=b, status=s.value, hours_attended=h) for b, s, h in lines],
    )


@router.put("/v1/sessions/{session_id}/attendance", response_model=SheetView, dependencies=[IDEMPOTENT])
async def record_sheet(
    session_id: UUID,
    body: SheetRequest,
    principal: Caller,
    uow: UoW,
    config: Settings,
) -> SheetView:
    """Records (or corrects) a session's sheet as a whole: one refused line refuses the sheet, with every reason."""
    session = await uow.courses.session(session_id)
    if session is None:
        raise NotFound("no such session")
    course = await courses.load(uow, principal, session.course_id, write=True)
    recording = Recording(course, principal)
    await attendance.apply(
        uow,
        recording,
        [
            MarkInput(session, line.beneficiary_id, line.status, line.hours_attended, index)
            for index, line in enumerate(body.entries)
        ],
    )
    if recording.rejections:
        raise Problem(
            422,
            "attendance-refused",
            f"{len(recording.rejections)} line(s) refused; nothing was recorded.",
            errors=[
                {**RejectionView.of(r).model_dump(mode="json"), "pointer": f"/entries/{r.line}"}
                for r in recording.rejections
            ],
        )
    await attendance.finish(uow, recording, config.absence_rate_threshold)
    view = await _sheet(uow, principal, session_id)
    view = view.model_copy(update={"applied": recording.applied, "unchanged": recording.unchanged})
    return view


@router.get("/v1/sessions/{session_id}/attendance", response_model=SheetView)
async def read_sheet(session_id: UUID, principal: Caller, uow: UoW) -> SheetView:
    return await _sheet(uow, principal, session_id)


@router.post("/v1/attendance-imports", response_model=ImportReportView)
async def import_attendance(
    principal: Caller,
    uow: UoW,
    config: Settings,
    course_id: Annotated[UUID, Query()],
    file: Annotated[UploadFile, File(description="CSV: beneficiary_id, date, start (optional), status, hours")],
    all_or_nothing: bool = False,
    encoding: Literal["utf-8", "windows-1252"] | None = None,
) -> ImportReportView | JSONResponse:
    """Every rejected row is reported with its line number; the valid ones are applied in one transaction,
    or none of them when ``all_or_nothing`` is set. Importing the same file again changes nothing."""
    course = await courses.load(uow, principal, course_id, write=True)
    recording = Recording(course, principal)
    found = await imports.import_csv(
        uow,
        recording,
        file.file,
        declared_encoding="cp1252" if encoding == "windows-1252" else encoding,
        batch_size=config.import_batch_size,
    )
    commit = not (all_or_nothing and recording.rejections)
    alerts = 0
    if commit:
        alerts = await attendance.finish(uow, recording, config.absence_rate_threshold)
        uow.audit(principal, "import_attendance", "course", course.id, reason=str(recording.applied))
    report = ImportReportView.of(
        recording,
        encoding=found.encoding,
        delimiter=found.delimiter,
        rows=found.rows_read,
        atomic=all_or_nothing,
        committed=commit,
        alerts=alerts,
    )
    if not commit:
        # A refusal like any other: a problem document, the import's report in its ``report`` member.
        raise Problem(
            422,
            "attendance-import-refused",
            f"{report.rejected} row(s) refused; nothing was recorded (all_or_nothing).",
            report=report.model_dump(mode="json"),
        )
    return report
