"""What erasure leaves: one row per erased person saying what was erased and what was kept as counts."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import insert_ignore
from support_service.adapters.tables import erasures


class ErasureRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def record(
        self,
        beneficiary_id: UUID,
        at: datetime,
        *,
        notes_deleted: int,
        needs_kept: int,
        placements_kept: int,
        key_destroyed: bool,
    ) -> None:
        row = {
            "beneficiary_id": beneficiary_id,
            "erased_at": at,
            "notes_deleted": notes_deleted,
            "needs_kept": needs_kept,
            "placements_kept": placements_kept,
            "key_destroyed": key_destroyed,
        }
        await insert_ignore(self._connection, erasures, [row])
