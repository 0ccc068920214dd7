"""Attendance imports and their stored rejection reports (a compressed CSV in numbered parts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from training_service.adapters.tables import attendance_import_rejections, attendance_imports


@dataclass(frozen=True)
class StoredImport:
    id: UUID
    course_id: UUID
    org_id: UUID
    parts: int


class ImportRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(
        self,
        *,
        import_id: UUID,
        course_id: UUID,
        org_id: UUID,
        imported_by: str,
        imported_at: datetime,
        committed: bool,
        rows_read: int,
        rejected: int,
        report_parts: Iterable[bytes],
    ) -> None:
        await self._connection.execute(
            insert(attendance_imports).values(
                id=import_id,
                course_id=course_id,
                org_id=org_id,
                imported_by=imported_by,
                imported_at=imported_at,
                committed=committed,
                rows_read=rows_read,
                rejected=rejected,
            )
        )
        # One part in memory at a time.
        for number, data in enumerate(report_parts):
            await self._connection.execute(
                insert(attendance_import_rejections).values(import_id=import_id, part=number, data=data)
            )

    async def find(self, import_id: UUID) -> StoredImport | None:
        parts = (
            select(func.count())
            .select_from(attendance_import_rejections)
            .where(attendance_import_rejections.c.import_id == import_id)
            .scalar_subquery()
        )
        row = (
            await self._connection.execute(
                select(
                    attendance_imports.c.id, attendance_imports.c.course_id, attendance_imports.c.org_id, parts
                ).where(attendance_imports.c.id == import_id)
            )
        ).one_or_none()
        return None if row is None else StoredImport(row[0], row[1], row[2], row[3])

    async def part(self, import_id: UUID, number: int) -> bytes:
        data = await self._connection.scalar(
            select(attendance_import_rejections.c.data).where(
                attendance_import_rejections.c.import_id == import_id, attendance_import_rejections.c.part == number
            )
        )
        return bytes(data or b"")
