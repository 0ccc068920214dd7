"""Attendance marks, their corrections and absence alerts: read and written in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from training_service.adapters.tables import absence_alerts, attendance, attendance_corrections, sessions
from training_service.adapters.upsert import upsert
from training_service.domain.vocabulary import AlertRule, AlertStatus, AttendanceStatus, SessionKind


@dataclass(frozen=True)
class StoredMark:
    status: AttendanceStatus
    hours_attended: Decimal
    recorded_by: str


@dataclass(frozen=True)
class CourseMark:
    beneficiary_id: UUID
    session_id: UUID
    held_on: date
    session_hours: Decimal
    kind: SessionKind
    status: AttendanceStatus
    hours_attended: Decimal


@dataclass(frozen=True)
class Alert:
    id: UUID
    course_id: UUID
    beneficiary_id: UUID
    rule: AlertRule
    status: AlertStatus
    consecutive_unexcused: int | None
    attendance_rate: Decimal | None
    raised_at: datetime
    resolved_at: datetime | None


_CHUNK = 5000


class AttendanceRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def existing(self, pairs: Iterable[tuple[UUID, UUID]]) -> dict[tuple[UUID, UUID], StoredMark]:
        wanted = set(pairs)
        if not wanted:
            return {}
        session_ids = list({session_id for session_id, _ in wanted})
        people = list({beneficiary_id for _, beneficiary_id in wanted})
        found: dict[tuple[UUID, UUID], StoredMark] = {}
        for start in range(0, len(people), _CHUNK):
            rows = await self._connection.execute(
                select(
                    attendance.c.session_id,
                    attendance.c.beneficiary_id,
                    attendance.c.status,
                    attendance.c.hours_attended,
                    attendance.c.recorded_by,
                ).where(
                    attendance.c.session_id.in_(session_ids),
                    attendance.c.beneficiary_id.in_(people[start : start + _CHUNK]),
                )
            )
            for row in rows:
                key = (row.session_id, row.beneficiary_id)
                if key in wanted:
                    found[key] = StoredMark(AttendanceStatus(row.status), row.hours_attended, row.recorded_by)
        return found

    async def write(self, rows: Sequence[dict[str, Any]], corrections: Sequence[dict[str, Any]]) -> None:
        await upsert(
            self._connection,
            attendance,
            rows,
            keys=["session_id", "beneficiary_id"],
            update=["status", "hours_attended", "recorded_at", "recorded_by", "recorded_by_org_id"],
        )
        if corrections:
            await self._connection.execute(insert(attendance_corrections), list(corrections))

    async def sheet(self, session_id: UUID) -> list[tuple[UUID, AttendanceStatus, Decimal]]:
        rows = await self._connection.execute(
            select(attendance.c.beneficiary_id, attendance.c.status, attendance.c.hours_attended)
            .where(attendance.c.session_id == session_id)
            .order_by(attendance.c.beneficiary_id)
        )
        return [(row.beneficiary_id, AttendanceStatus(row.status), row.hours_attended) for row in rows]

    async def corrections(self, session_id: UUID, beneficiary_id: UUID) -> list[Any]:
        rows = await self._connection.execute(
            select(attendance_corrections)
            .where(
                attendance_corrections.c.session_id == session_id,
                attendance_corrections.c.beneficiary_id == beneficiary_id,
            )
            .order_by(attendance_corrections.c.changed_at)
        )
        return list(rows)

    async def course_marks(self, course_id: UUID, beneficiary_ids: Sequence[UUID] | None = None) -> list[CourseMark]:
        query = (
            select(
                attendance.c.beneficiary_id,
                attendance.c.session_id,
                sessions.c.held_on,
                sessions.c.hours,
                sessions.c.kind,
                attendance.c.status,
                attendance.c.hours_attended,
            )
            .join(sessions, sessions.c.id == attendance.c.session_id)
            .where(attendance.c.course_id == course_id)
        )
        if beneficiary_ids is not None:
            query = query.where(attendance.c.beneficiary_id.in_(list(beneficiary_ids)))
        rows = await self._connection.execute(query)
        return [
            CourseMark(
                row.beneficiary_id,
                row.session_id,
                row.held_on,
                row.hours,
                SessionKind(row.kind),
                AttendanceStatus(row.status),
                row.hours_attended,
            )
            for row in rows
        ]

    async def alerts(
        self, course_id: UUID | None = None, beneficiary_ids: Sequence[UUID] | None = None, *, only_open: bool = False
    ) -> list[Alert]:
        query = select(absence_alerts).order_by(absence_alerts.c.raised_at)
        if course_id is not None:
            query = query.where(absence_alerts.c.course_id == course_id)
        if beneficiary_ids is not None:
            query = query.where(absence_alerts.c.beneficiary_id.in_(list(beneficiary_ids)))
        if only_open:
            query = query.where(absence_alerts.c.status == AlertStatus.OPEN.value)
        return [_alert(row) for row in await self._connection.execute(query)]

    async def alert(self, alert_id: UUID) -> Alert | None:
        row = (
            await self._connection.execute(select(absence_alerts).where(absence_alerts.c.id == alert_id))
        ).one_or_none()
        return _alert(row) if row is not None else None

    async def add_alerts(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self._connection.execute(insert(absence_alerts), list(rows))

    async def resolve_alert(self, alert_id: UUID, at: datetime, by: str) -> None:
        await self._connection.execute(
            update(absence_alerts)
            .where(absence_alerts.c.id == alert_id)
            .values(status=AlertStatus.RESOLVED.value, resolved_at=at, resolved_by=by)
        )

    async def erase(self, beneficiary_id: UUID) -> None:
        for table in (attendance, attendance_corrections, absence_alerts):
            await self._connection.execute(delete(table).where(table.c.beneficiary_id == beneficiary_id))


def _alert(row: Any) -> Alert:
    return Alert(
        row.id,
        row.course_id,
        row.beneficiary_id,
        AlertRule(row.rule),
        AlertStatus(row.status),
        row.consecutive_unexcused,
        row.attendance_rate,
        row.raised_at,
        row.resolved_at,
    )
