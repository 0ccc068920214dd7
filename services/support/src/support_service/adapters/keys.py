"""People's data keys, stored only wrapped by a key-encryption key. Deleting a row shreds the person's health data."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from support_service.adapters.envelope import WrappedDataKey
from support_service.adapters.tables import person_keys


class KeyRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, beneficiary_id: UUID) -> WrappedDataKey | None:
        row = (
            await self._connection.execute(select(person_keys).where(person_keys.c.beneficiary_id == beneficiary_id))
        ).first()
        return WrappedDataKey(row.beneficiary_id, row.kek_id, bytes(row.wrapped)) if row is not None else None

    async def add(self, key: WrappedDataKey, at: datetime) -> None:
        await self._connection.execute(
            insert(person_keys).values(
                beneficiary_id=key.beneficiary_id, kek_id=key.kek_id, wrapped=key.wrapped, created_at=at
            )
        )

    async def not_wrapped_by(self, kek_id: str, limit: int) -> list[WrappedDataKey]:
        rows = await self._connection.execute(
            select(person_keys)
            .where(person_keys.c.kek_id != kek_id)
            .order_by(person_keys.c.beneficiary_id)
            .limit(limit)
        )
        return [WrappedDataKey(row.beneficiary_id, row.kek_id, bytes(row.wrapped)) for row in rows]

    async def replace(self, key: WrappedDataKey, at: datetime) -> None:
        await self._connection.execute(
            update(person_keys)
            .where(person_keys.c.beneficiary_id == key.beneficiary_id)
            .values(kek_id=key.kek_id, wrapped=key.wrapped, rewrapped_at=at)
        )

    async def destroy(self, beneficiary_id: UUID) -> bool:
        result = await self._connection.execute(
            delete(person_keys).where(person_keys.c.beneficiary_id == beneficiary_id)
        )
        return bool(result.rowcount)
