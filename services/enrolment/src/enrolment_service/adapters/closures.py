"""Loading and saving what enrolment has heard towards closing each path (domain.closure)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from enrolment_service.adapters.tables import path_closures
from enrolment_service.domain.closure import PathClosure, PathSignal

_COLUMNS = {
    PathSignal.STEP_4_STARTED: "step_4_started",
    PathSignal.QUALIFICATION_RESULT_IN: "qualification_result_in",
    PathSignal.OUTCOME_RECORDED: "outcome_recorded",
    PathSignal.PATH_LEFT: "path_left",
}


class PathClosureRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, beneficiary_id: UUID) -> PathClosure | None:
        """The caller holds the person's row lock (on PostgreSQL): closures of one person are decided in turn."""
        row = (
            await self._connection.execute(
                select(path_closures).where(path_closures.c.beneficiary_id == beneficiary_id)
            )
        ).one_or_none()
        if row is None:
            return None
        seen = frozenset(signal for signal, column in _COLUMNS.items() if getattr(row, column))
        return PathClosure(seen=seen, completed=row.completed, left=row.left)

    async def save(self, beneficiary_id: UUID, closure: PathClosure, *, new: bool) -> None:
        values: dict[str, object] = {column: signal in closure.seen for signal, column in _COLUMNS.items()}
        values.update(completed=closure.completed, left=closure.left, updated_at=datetime.now(UTC))
        if new:
            await self._connection.execute(insert(path_closures).values(beneficiary_id=beneficiary_id, **values))
        else:
            await self._connection.execute(
                update(path_closures).where(path_closures.c.beneficiary_id == beneficiary_id).values(**values)
            )
