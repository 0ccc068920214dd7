"""Attendance marks, their corrections and absence alerts: read and written in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import upsert
from training_service.adapters.tables import absence_alerts, attendance, attendance_corrections, sessions
from training_service.domain.vocabulary import AttendanceStatus, SessionKind


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
class MarkTotal:
    """One person's marks in a course added up per kind of session and status."""

    beneficiary_id: UUID
    kind: SessionKind
    status: AttendanceStatus
    session_hours: Decimal
    hours_attended: Decimal


_CHUNK = 5000
_SHEETS_CHUNK = 200
_STATUSES = {status.value: status for status in AttendanceStatus}
_KEYS = ["session_id", "beneficiary_id"]
_UPDATED = ["status", "hours_attended", "recorded_at", "recorded_by", "recorded_by_org_id"]


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
        # On PostgreSQL one statement per batch, its values sent as one array per column (the kit's upsert): a bulk
        # import spends its time checking rows, not binding 100,000 rows one value at a time.
        await upsert(self._connection, attendance, rows, keys=_KEYS, update=_UPDATED)
        if corrections:
            await self._connection.execute(insert(attendance_corrections), list(corrections))

    async def sheets(self, session_ids: Sequence[UUID]) -> dict[UUID, list[tuple[UUID, AttendanceStatus, Decimal]]]:
        """The sheets of several sessions, read together: what ``sheet`` gives for each."""
        found: dict[UUID, list[tuple[UUID, AttendanceStatus, Decimal]]] = {session_id: [] for session_id in session_ids}
        for start in range(0, len(session_ids), _SHEETS_CHUNK):
            rows = await self._connection.execute(
                select(
                    attendance.c.session_id,
                    attendance.c.beneficiary_id,
                    attendance.c.status,
                    attendance.c.hours_attended,
                )
                .where(attendance.c.session_id.in_(session_ids[start : start + _SHEETS_CHUNK]))
                .order_by(attendance.c.session_id, attendance.c.beneficiary_id)
            )
            for session_id, beneficiary_id, status, attended in rows:
                found[session_id].append((beneficiary_id, _STATUSES[status], attended))
        return found

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

    async def marks_at(
        self, session_ids: Sequence[UUID], beneficiary_ids: Sequence[UUID]
    ) -> list[tuple[UUID, UUID, AttendanceStatus, Decimal]]:
        """(session, person, status, hours attended) of these people at these sessions."""
        rows = await self._connection.execute(
            select(
                attendance.c.session_id, attendance.c.beneficiary_id, attendance.c.status, attendance.c.hours_attended
            ).where(
                attendance.c.session_id.in_(list(session_ids)),
                attendance.c.beneficiary_id.in_(list(beneficiary_ids)),
            )
        )
        return [(session_id, person, _STATUSES[status], attended) for session_id, person, status, attended in rows]

    async def mark_totals(self, course_id: UUID, beneficiary_ids: Sequence[UUID] | None = None) -> list[MarkTotal]:
        """The marks of a course (or of some of its people) added up in the database: a ledger of two
        years is a handful of rows, not one per session."""
        session_hours = func.sum(sessions.c.hours).label("session_hours")
        hours_attended = func.sum(attendance.c.hours_attended).label("hours_attended")
        query = (
            select(attendance.c.beneficiary_id, sessions.c.kind, attendance.c.status, session_hours, hours_attended)
            .join(sessions, sessions.c.id == attendance.c.session_id)
            # Naming the course on both sides lets each be read through its own index: the work stays
            # the size of the course, whatever the number of sessions of other courses.
            .where(attendance.c.course_id == course_id, sessions.c.course_id == course_id)
            .group_by(attendance.c.beneficiary_id, sessions.c.kind, attendance.c.status)
        )
        if beneficiary_ids is not None:
            query = query.where(attendance.c.beneficiary_id.in_(list(beneficiary_ids)))
        return [
            MarkTotal(person, SessionKind(kind), AttendanceStatus(status), scheduled, attended)
            for person, kind, status, scheduled, attended in await self._connection.execute(query)
        ]

    async def erase(self, beneficiary_id: UUID) -> None:
        for table in (attendance, attendance_corrections, absence_alerts):
            await self._connection.execute(delete(table).where(table.c.beneficiary_id == beneficiary_id))
