"""The projection of training's events: absence alerts a referent sees on the file, and who was present on
which day (for catering)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import insert_ignore, upsert
from support_service.adapters.tables import absence_alerts, attendance


class TrainingRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def alert(
        self, alert_id: UUID, beneficiary_id: UUID, course_id: UUID, step: int, rule: str, at: datetime
    ) -> None:
        row = {
            "alert_id": alert_id,
            "beneficiary_id": beneficiary_id,
            "course_id": course_id,
            "step": step,
            "rule": rule,
            "raised_at": at,
        }
        await insert_ignore(self._connection, absence_alerts, [row])

    async def alerts_of(self, beneficiary_id: UUID, since: datetime) -> list[dict[str, object]]:
        rows = await self._connection.execute(
            select(absence_alerts)
            .where(absence_alerts.c.beneficiary_id == beneficiary_id, absence_alerts.c.raised_at >= since)
            .order_by(absence_alerts.c.raised_at)
        )
        return [dict(row._mapping) for row in rows]

    async def sheet(self, session_id: UUID, held_on: date, present: dict[UUID, bool]) -> None:
        """The session's latest sheet replaces the earlier one (people removed from it disappear too)."""
        await self._connection.execute(delete(attendance).where(attendance.c.session_id == session_id))
        rows = [
            {"session_id": session_id, "beneficiary_id": person, "held_on": held_on, "present": here}
            for person, here in present.items()
        ]
        await upsert(
            self._connection, attendance, rows, keys=["session_id", "beneficiary_id"], update=["held_on", "present"]
        )

    async def days_present(self, beneficiary_id: UUID, first: date, last: date) -> set[date]:
        rows = await self._connection.execute(
            select(attendance.c.held_on).where(
                attendance.c.beneficiary_id == beneficiary_id,
                attendance.c.present.is_(True),
                attendance.c.held_on >= first,
                attendance.c.held_on <= last,
            )
        )
        return set(rows.scalars().all())

    async def forget(self, beneficiary_id: UUID) -> None:
        await self._connection.execute(delete(absence_alerts).where(absence_alerts.c.beneficiary_id == beneficiary_id))
        await self._connection.execute(delete(attendance).where(attendance.c.beneficiary_id == beneficiary_id))
