"""The local projection of enrolment: each person's cohort and step, and the tombstones of erased people (which
organisation supports each cohort: ``hopekit.cohorts``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import insert_ignore
from support_service.adapters.tables import people


@dataclass(frozen=True)
class Person:
    beneficiary_id: UUID
    cohort_id: UUID | None
    current_step: int | None
    erased: bool
    left_on: date | None = None  # withdrawn or completed on that day


class ProjectionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def person(self, beneficiary_id: UUID, *, lock: bool = False) -> Person | None:
        """``lock``: the person's row is held until commit (on PostgreSQL), and what is read after it includes what
        the transaction that held it before committed."""
        query = select(people).where(people.c.beneficiary_id == beneficiary_id)
        row = (await self._connection.execute(query.with_for_update() if lock else query)).first()
        if row is None:
            return None
        return Person(row.beneficiary_id, row.cohort_id, row.current_step, row.erased_at is not None, row.left_on)

    async def people_in_cohort_at_step(self, cohort_id: UUID, steps: tuple[int, ...]) -> list[UUID]:
        query = select(people.c.beneficiary_id).where(
            people.c.cohort_id == cohort_id, people.c.current_step.in_(steps), people.c.erased_at.is_(None)
        )
        return list((await self._connection.scalars(query)).all())

    async def members(self, cohort_id: UUID) -> list[UUID]:
        query = select(people.c.beneficiary_id).where(people.c.cohort_id == cohort_id, people.c.erased_at.is_(None))
        return sorted((await self._connection.scalars(query)).all())

    async def left(self, beneficiary_id: UUID, on: date) -> None:
        """The first day left is kept: a later completion does not move a withdrawal."""
        await insert_ignore(self._connection, people, [{"beneficiary_id": beneficiary_id}])
        await self._connection.execute(
            update(people)
            .where(people.c.beneficiary_id == beneficiary_id, people.c.left_on.is_(None))
            .values(left_on=on)
        )

    async def note_member(self, beneficiary_id: UUID, cohort_id: UUID) -> None:
        await insert_ignore(self._connection, people, [{"beneficiary_id": beneficiary_id}])
        await self._connection.execute(
            update(people)
            .where(people.c.beneficiary_id == beneficiary_id, people.c.erased_at.is_(None))
            .values(cohort_id=cohort_id)
        )

    async def step_started(self, beneficiary_id: UUID, step: int, cohort_id: UUID | None, at: datetime) -> None:
        """Keeps the latest step: an older step-started arriving late does not move the person back."""
        await insert_ignore(self._connection, people, [{"beneficiary_id": beneficiary_id}])
        values: dict[str, object] = {"current_step": step, "step_started_at": at}
        if cohort_id is not None:
            values["cohort_id"] = cohort_id
        await self._connection.execute(
            update(people)
            .where(
                people.c.beneficiary_id == beneficiary_id,
                people.c.erased_at.is_(None),
                (people.c.current_step.is_(None)) | (people.c.current_step <= step),
            )
            .values(**values)
        )

    async def erased(self, beneficiary_id: UUID, at: datetime) -> None:
        await insert_ignore(self._connection, people, [{"beneficiary_id": beneficiary_id}])
        await self._connection.execute(
            update(people)
            .where(people.c.beneficiary_id == beneficiary_id)
            .values(erased_at=at, cohort_id=None, current_step=None, step_started_at=None)
        )
