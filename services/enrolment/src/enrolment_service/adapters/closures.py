"""Loading and saving what enrolment has heard towards closing each path (domain.closure): one person's at a time
(a request's transaction), or a consumer poll's people at once (a few statements whatever their number)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from enrolment_service.adapters.tables import path_closures
from enrolment_service.domain.closure import PathClosure, PathSignal

_COLUMNS = {
    PathSignal.STEP_4_STARTED: "step_4_started",
    PathSignal.QUALIFICATION_RESULT_IN: "qualification_result_in",
    PathSignal.OUTCOME_RECORDED: "outcome_recorded",
    PathSignal.PATH_LEFT: "path_left",
}

# Statements built once (their compiled form stays cached); the row updated is bound as ``target_id``, a name
# no column has, so each parameter set's other keys are the columns set.
_UPDATE = update(path_closures).where(path_closures.c.beneficiary_id == bindparam("target_id"))
_SOME = select(path_closures).where(path_closures.c.beneficiary_id.in_(bindparam("ids", expanding=True)))


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
        return None if row is None else _closure(row)

    async def get_many(self, beneficiary_ids: Collection[UUID]) -> dict[UUID, PathClosure]:
        """Those of these people who have one (the caller holds their row locks, as for ``get``)."""
        if not beneficiary_ids:
            return {}
        rows = await self._connection.execute(_SOME, {"ids": list(beneficiary_ids)})
        return {row.beneficiary_id: _closure(row) for row in rows}

    async def save(self, beneficiary_id: UUID, closure: PathClosure, *, new: bool) -> None:
        await self.save_many({beneficiary_id: closure}, new={beneficiary_id} if new else set())

    async def save_many(self, closures: Mapping[UUID, PathClosure], *, new: Collection[UUID]) -> None:
        """Inserts the ``new`` ones, updates the others: one statement each (executemany)."""
        now = datetime.now(UTC)
        inserted = [{"beneficiary_id": person, **_values(c, now)} for person, c in closures.items() if person in new]
        updated = [{"target_id": person, **_values(c, now)} for person, c in closures.items() if person not in new]
        if inserted:
            await self._connection.execute(insert(path_closures), inserted)
        if updated:
            await self._connection.execute(_UPDATE, updated)


def _closure(row: Any) -> PathClosure:
    seen = frozenset(signal for signal, column in _COLUMNS.items() if getattr(row, column))
    return PathClosure(seen=seen, completed=row.completed, left=row.left)


def _values(closure: PathClosure, now: datetime) -> dict[str, object]:
    values: dict[str, object] = {column: signal in closure.seen for signal, column in _COLUMNS.items()}
    values.update(completed=closure.completed, left=closure.left, updated_at=now)
    return values
