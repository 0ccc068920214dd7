"""Cohorts' calendars as enrolment last described them: replaced whole, and only by a newer description."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import dialect_insert
from training_service.adapters.tables import cohort_calendars, cohort_step_periods
from training_service.domain.calendar import PlannedPeriod
from training_service.domain.vocabulary import Step


class CalendarRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def replace(self, cohort_id: UUID, periods: Sequence[PlannedPeriod], as_of: datetime) -> bool:
        """The cohort's calendar becomes ``periods`` unless what is held is as recent or more (an event arriving
        late, or again); True when replaced. The version row is written first: it locks the cohort's calendar
        until commit on PostgreSQL, so two deliveries of one cohort's calendar apply one after the other."""
        statement = dialect_insert(self._connection, cohort_calendars).values(cohort_id=cohort_id, as_of=as_of)
        statement = statement.on_conflict_do_update(
            index_elements=[cohort_calendars.c.cohort_id],
            set_={"as_of": statement.excluded.as_of},
            where=cohort_calendars.c.as_of < statement.excluded.as_of,
        ).returning(cohort_calendars.c.cohort_id)
        if await self._connection.scalar(statement) is None:
            return False
        await self._connection.execute(delete(cohort_step_periods).where(cohort_step_periods.c.cohort_id == cohort_id))
        if periods:
            await self._connection.execute(
                insert(cohort_step_periods),
                [
                    {
                        "cohort_id": cohort_id,
                        "step": int(period.step),
                        "starts_on": period.starts_on,
                        "ends_on": period.ends_on,
                    }
                    for period in periods
                ],
            )
        return True

    async def period(self, cohort_id: UUID, step: Step) -> PlannedPeriod | None:
        """The step's planned period, None while the cohort's calendar does not plan it."""
        row = (
            await self._connection.execute(
                select(cohort_step_periods).where(
                    cohort_step_periods.c.cohort_id == cohort_id, cohort_step_periods.c.step == int(step)
                )
            )
        ).one_or_none()
        return PlannedPeriod(Step(row.step), row.starts_on, row.ends_on) if row is not None else None
