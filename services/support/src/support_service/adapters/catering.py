"""Meals served, recorded or imported per person, day, meal and source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import upsert
from support_service.adapters.tables import meals_served
from support_service.domain.vocabulary import Meal


class CateringRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def record(self, rows: Sequence[dict[str, Any]]) -> None:
        await upsert(
            self._connection,
            meals_served,
            rows,
            keys=["beneficiary_id", "served_on", "meal", "source"],
            update=["count", "recorded_by_org_id", "recorded_at"],
        )

    async def served(self, beneficiary_id: UUID, first: date, last: date) -> Counter[Meal]:
        rows = await self._connection.execute(
            select(meals_served.c.meal, func.sum(meals_served.c.count))
            .where(
                meals_served.c.beneficiary_id == beneficiary_id,
                meals_served.c.served_on >= first,
                meals_served.c.served_on <= last,
            )
            .group_by(meals_served.c.meal)
        )
        return Counter({Meal(meal): int(total) for meal, total in rows})

    async def forget(self, beneficiary_id: UUID) -> None:
        await self._connection.execute(delete(meals_served).where(meals_served.c.beneficiary_id == beneficiary_id))
