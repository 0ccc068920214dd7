"""Loading and saving cohorts and their members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from enrolment_service.adapters.tables import beneficiaries, cohort_step_periods, cohorts
from enrolment_service.domain.calendar import CohortCalendar, StepPeriod
from enrolment_service.domain.cohort import Cohort
from enrolment_service.domain.vocabulary import Step, Track
from hopekit.db.keyset import after_key


class CohortRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, cohort_id: UUID, *, for_update: bool = False) -> Cohort | None:
        query = select(cohorts).where(cohorts.c.id == cohort_id)
        if for_update and self._connection.dialect.name == "postgresql":
            query = query.with_for_update()
        row = (await self._connection.execute(query)).one_or_none()
        if row is None:
            return None
        members = await self._connection.scalars(
            select(beneficiaries.c.id).where(beneficiaries.c.cohort_id == cohort_id)
        )
        calendars = await self._calendars([cohort_id])
        return _cohort(row, set(members), calendars[cohort_id])

    async def add(self, cohort: Cohort, created_by_org_id: UUID) -> None:
        await self._connection.execute(
            insert(cohorts).values(
                id=cohort.id,
                name=cohort.name,
                sector_code=cohort.sector_code,
                region=cohort.region,
                track=cohort.track.value,
                training_provider_org_id=cohort.training_provider_org_id,
                support_provider_org_id=cohort.support_provider_org_id,
                capacity=cohort.capacity,
                created_at=datetime.now(UTC),
                created_by_org_id=created_by_org_id,
            )
        )
        await self._insert_periods(cohort.id, cohort.calendar.periods)

    async def replace_calendar(self, cohort: Cohort) -> None:
        await self._connection.execute(delete(cohort_step_periods).where(cohort_step_periods.c.cohort_id == cohort.id))
        await self._insert_periods(cohort.id, cohort.calendar.periods)

    async def _insert_periods(self, cohort_id: UUID, periods: Iterable[StepPeriod]) -> None:
        rows = [
            {"cohort_id": cohort_id, "step": int(p.step), "starts_on": p.starts_on, "ends_on": p.ends_on}
            for p in periods
        ]
        if rows:
            await self._connection.execute(insert(cohort_step_periods), rows)

    async def _calendars(self, cohort_ids: list[UUID]) -> defaultdict[UUID, CohortCalendar]:
        rows = await self._connection.execute(
            select(cohort_step_periods)
            .where(cohort_step_periods.c.cohort_id.in_(cohort_ids))
            .order_by(cohort_step_periods.c.cohort_id, cohort_step_periods.c.step)
        )
        periods: defaultdict[UUID, list[StepPeriod]] = defaultdict(list)
        for row in rows:
            periods[row.cohort_id].append(StepPeriod(step=Step(row.step), starts_on=row.starts_on, ends_on=row.ends_on))
        return defaultdict(CohortCalendar, {key: CohortCalendar(tuple(found)) for key, found in periods.items()})

    async def search(self, provider_org_id: UUID | None, after_id: UUID | None, limit: int) -> list[Cohort]:
        conditions: list[Any] = []
        if provider_org_id is not None:
            conditions.append(
                or_(
                    cohorts.c.training_provider_org_id == provider_org_id,
                    cohorts.c.support_provider_org_id == provider_org_id,
                )
            )
        rows = (
            await self._connection.execute(
                after_key(select(cohorts).where(and_(True, *conditions)), cohorts.c.id, after_id, limit)
            )
        ).all()
        calendars = await self._calendars([row.id for row in rows]) if rows else defaultdict(CohortCalendar)
        found = [_cohort(row, set(), calendars[row.id]) for row in rows]
        if found:
            members = await self._connection.execute(
                select(beneficiaries.c.cohort_id, beneficiaries.c.id).where(
                    beneficiaries.c.cohort_id.in_([cohort.id for cohort in found])
                )
            )
            by_id = {cohort.id: cohort for cohort in found}
            for cohort_id, beneficiary_id in members:
                by_id[cohort_id].member_ids.add(beneficiary_id)
        return found

    async def ids_served_by(self, org_id: UUID, *, training: bool, support: bool) -> frozenset[UUID]:
        conditions = []
        if training:
            conditions.append(cohorts.c.training_provider_org_id == org_id)
        if support:
            conditions.append(cohorts.c.support_provider_org_id == org_id)
        if not conditions:
            return frozenset()
        return frozenset(await self._connection.scalars(select(cohorts.c.id).where(or_(*conditions))))


def _cohort(row: Any, members: set[UUID], calendar: CohortCalendar) -> Cohort:
    return Cohort(
        id=row.id,
        name=row.name,
        sector_code=row.sector_code,
        region=row.region,
        track=Track(row.track),
        training_provider_org_id=row.training_provider_org_id,
        support_provider_org_id=row.support_provider_org_id,
        capacity=row.capacity,
        calendar=calendar,
        member_ids=members,
    )
