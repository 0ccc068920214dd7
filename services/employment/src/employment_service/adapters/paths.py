"""The local projection of people's paths (from enrolment's and training's events; the cohorts: ``hopekit.cohorts``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from employment_service.adapters.locking import locked
from employment_service.adapters.tables import exit_outcomes, person_paths
from employment_service.domain.person_path import TRADE_QUALIFICATION_STEP, PathState, PersonPath
from hopekit.db.keyset import after_key
from hopekit.db.upsert import dialect_insert


def _path(row: Any) -> PersonPath:
    values = dict(row._mapping)
    values["state"] = PathState(values["state"])
    return PersonPath(**values)


class PathRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, beneficiary_id: UUID, *, lock: bool = False) -> PersonPath | None:
        """With `lock`, the row is held until commit on PostgreSQL (SQLite has one writer at a time anyway), so
        that read-then-write rules on one person (the immersion cap, one outcome, one contract) serialise."""
        where = person_paths.c.beneficiary_id == beneficiary_id
        query = select(person_paths).where(where)
        if lock:
            query = await locked(self._connection, query, person_paths, where)
        row = (await self._connection.execute(query)).first()
        return _path(row) if row is not None else None

    async def get_or_new(self, beneficiary_id: UUID) -> PersonPath:
        """The path to change on an event; created empty the first time the person is heard of. Locked either
        way: one upsert whose no-op update takes the row lock (the write lock on SQLite) and returns the row, in
        one round trip where an insert-if-missing and a locking read took two (this runs on every event)."""
        statement = dialect_insert(self._connection, person_paths).values(_row(PersonPath(beneficiary_id)))
        statement = statement.on_conflict_do_update(
            index_elements=[person_paths.c.beneficiary_id],
            set_={"beneficiary_id": statement.excluded.beneficiary_id},
        ).returning(*person_paths.c)
        return _path((await self._connection.execute(statement)).one())

    async def save(self, path: PersonPath) -> None:
        await self._connection.execute(
            update(person_paths).where(person_paths.c.beneficiary_id == path.beneficiary_id).values(**_row(path))
        )

    async def members_of(self, cohort_id: UUID) -> list[UUID]:
        query = select(person_paths.c.beneficiary_id).where(person_paths.c.cohort_id == cohort_id)
        return list(await self._connection.scalars(query))

    async def awaiting_outcome(
        self, support_provider_org_id: UUID | None, withdrawal_reason: str | None, after: UUID | None, limit: int
    ) -> list[PersonPath]:
        """People who left the path (or are in step 4) and have no exit outcome yet, by id."""
        query = select(person_paths).where(
            or_(
                person_paths.c.state.in_([PathState.WITHDRAWN.value, PathState.COMPLETED.value]),
                and_(person_paths.c.state == PathState.ACTIVE.value, person_paths.c.step == TRADE_QUALIFICATION_STEP),
            ),
            ~exists().where(exit_outcomes.c.beneficiary_id == person_paths.c.beneficiary_id),
        )
        if support_provider_org_id is not None:
            query = query.where(person_paths.c.support_provider_org_id == support_provider_org_id)
        if withdrawal_reason is not None:
            query = query.where(person_paths.c.withdrawal_reason == withdrawal_reason)
        query = after_key(query, person_paths.c.beneficiary_id, after, limit)
        return [_path(row) for row in await self._connection.execute(query)]

    async def supported_by(self, org_id: UUID) -> list[UUID]:
        query = select(person_paths.c.beneficiary_id).where(person_paths.c.support_provider_org_id == org_id)
        return list(await self._connection.scalars(query))

    async def trained_by(self, org_id: UUID, step: int | None = None) -> list[UUID]:
        query = select(person_paths.c.beneficiary_id).where(person_paths.c.training_provider_org_id == org_id)
        if step is not None:
            query = query.where(person_paths.c.step == step)
        return list(await self._connection.scalars(query))


def _row(path: PersonPath) -> dict[str, Any]:
    values = asdict(path)
    values["state"] = path.state.value
    return values
