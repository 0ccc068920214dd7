"""Language assessments and qualifications."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from training_service.adapters.tables import language_assessments, participations, qualifications


class RecordRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add_assessment(self, row: dict[str, Any]) -> None:
        await self._connection.execute(insert(language_assessments).values(**row))

    async def assessments(self, beneficiary_id: UUID) -> list[Any]:
        rows = await self._connection.execute(
            select(language_assessments)
            .where(language_assessments.c.beneficiary_id == beneficiary_id)
            .order_by(language_assessments.c.assessed_on, language_assessments.c.recorded_at)
        )
        return list(rows)

    async def add_qualification(self, row: dict[str, Any]) -> None:
        await self._connection.execute(insert(qualifications).values(**row))

    async def qualifications(self, beneficiary_id: UUID) -> list[Any]:
        rows = await self._connection.execute(
            select(qualifications)
            .where(qualifications.c.beneficiary_id == beneficiary_id)
            .order_by(qualifications.c.awarded_on)
        )
        return list(rows)

    async def erase(self, beneficiary_id: UUID) -> None:
        for table in (language_assessments, qualifications, participations):
            await self._connection.execute(delete(table).where(table.c.beneficiary_id == beneficiary_id))
