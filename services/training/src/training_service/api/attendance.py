"""Attendance sheets, CSV imports and absence alerts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse

from hopekit.api.problems import Problem
from hopekit.api.security import authenticated
from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.api.dependencies import settings, unit_of_work
from training_service.api.schemas import (
    AlertView,
    ImportReportView,
    RejectionView,
    SheetLineView,
    SheetRequest,
    SheetView,
)
from training_service.domain.vocabulary import AlertStatus
from training_service.service_layer import attendance, courses, imports
from training_service.service_layer.attendance import MarkInput, Recording
from training_service.service_layer.errors import NotFound
from training_service.settings import TrainingSettings

router = APIRouter(tags=["attendance"])

Caller = Annotated[Principal, Depends(authenticated)]
UoW = Annotated[TrainingUnitOfWork, Depends(unit_of_work)]
Settings = Annotated[TrainingSettings, Depends(settings)]


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


@router.put("/v1/sessions/{session_id}/attendance", response_model=SheetView)
async def record_sheet(
    session_id: UUID, body: SheetRequest, principal: Caller, uow: UoW, config: Settings
) -> SheetView:
    """Records (or corrects) a session's sheet as a whole: one refused line refuses the sheet, with every reason."""
    async with uow:
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
        await uow.commit()
    return view.model_copy(update={"applied": recording.applied, "unchanged": recording.unchanged})


@router.get("/v1/sessions/{session_id}/attendance", response_model=SheetView)
async def read_sheet(session_id: UUID, principal: Caller, uow: UoW) -> SheetView:
    async with uow:
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
    async with uow:
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
            await uow.commit()
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
        return JSONResponse(report.model_dump(mode="json"), status_code=422)
    return report


@router.get("/v1/alerts", response_model=list[AlertView])
async def list_alerts(
    principal: Caller, uow: UoW, course_id: UUID, status: AlertStatus | None = None
) -> list[AlertView]:
    async with uow:
        await courses.load(uow, principal, course_id)
        found = await uow.attendance.alerts(course_id, only_open=status is AlertStatus.OPEN)
    return [AlertView.of(alert) for alert in found if status is None or alert.status is status]


@router.post("/v1/alerts/{alert_id}/resolution", response_model=AlertView)
async def resolve_alert(alert_id: UUID, principal: Caller, uow: UoW) -> AlertView:
    async with uow:
        alert = await uow.attendance.alert(alert_id)
        if alert is None:
            raise NotFound("no such alert")
        await courses.load(uow, principal, alert.course_id, write=True)
        if alert.status is AlertStatus.OPEN:
            await uow.attendance.resolve_alert(alert.id, datetime.now(UTC), principal.subject)
            uow.audit(principal, "resolve", "absence_alert", alert.id)
        resolved = await uow.attendance.alert(alert_id)
        await uow.commit()
    assert resolved is not None
    return AlertView.of(resolved)
