"""Cohorts' calendars, training's scheduled sessions and the meal entitlements published from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.upsert import upsert
from support_service.adapters.schedule_tables import (
    cohort_calendars,
    cohort_steps,
    meal_entitlements,
    scheduled_sessions,
)
from support_service.domain.events import MealsEntitled

StepPeriod = tuple[int, date, date | None]  # step, starts_on, ends_on (None: not known yet)
MonthCounts = tuple[int, int, int]  # breakfasts, lunches, dinners


class ScheduleRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def replace_calendar(self, cohort_id: UUID, periods: Iterable[StepPeriod], at: datetime) -> bool:
        """The whole calendar replaces the one held, unless that one was set by a later event."""
        held = await self._connection.scalar(
            select(cohort_calendars.c.set_at).where(cohort_calendars.c.cohort_id == cohort_id)
        )
        if held is not None and held >= at:
            return False
        await upsert(
            self._connection, cohort_calendars, [{"cohort_id": cohort_id, "set_at": at}], ["cohort_id"], ["set_at"]
        )
        await self._connection.execute(delete(cohort_steps).where(cohort_steps.c.cohort_id == cohort_id))
        rows = [
            {"cohort_id": cohort_id, "step": step, "starts_on": starts_on, "ends_on": ends_on}
            for step, starts_on, ends_on in periods
        ]
        if rows:
            await self._connection.execute(cohort_steps.insert(), rows)
        return True

    async def add_sessions(self, rows: list[dict[str, object]]) -> None:
        """Sessions are keyed by their id: the same session again (or moved to another day) is one day, not two."""
        await upsert(
            self._connection,
            scheduled_sessions,
            rows,
            keys=["session_id"],
            update=["course_id", "step", "cohort_id", "beneficiary_id", "held_on"],
        )

    async def training_days(self, beneficiary_id: UUID, cohort_id: UUID | None) -> set[date]:
        """The days of the person's own sessions and of their cohort's."""
        mine = scheduled_sessions.c.beneficiary_id == beneficiary_id
        where = mine if cohort_id is None else or_(mine, scheduled_sessions.c.cohort_id == cohort_id)
        return set((await self._connection.scalars(select(scheduled_sessions.c.held_on).where(where))).all())

    async def published(self, beneficiary_id: UUID) -> dict[date, MonthCounts]:
        rows = await self._connection.execute(
            select(meal_entitlements).where(meal_entitlements.c.beneficiary_id == beneficiary_id)
        )
        return {row.month: (row.breakfasts, row.lunches, row.dinners) for row in rows}

    async def record(self, entitled: MealsEntitled) -> None:
        row = {
            "beneficiary_id": entitled.beneficiary_id,
            "month": entitled.month,
            "breakfasts": entitled.breakfasts,
            "lunches": entitled.lunches,
            "dinners": entitled.dinners,
            "entitled_at": entitled.occurred_at,
        }
        await upsert(
            self._connection,
            meal_entitlements,
            [row],
            keys=["beneficiary_id", "month"],
            update=["breakfasts", "lunches", "dinners", "entitled_at"],
        )

    async def forget(self, beneficiary_id: UUID) -> None:
        await self._connection.execute(
            delete(meal_entitlements).where(meal_entitlements.c.beneficiary_id == beneficiary_id)
        )
        await self._connection.execute(
            delete(scheduled_sessions).where(scheduled_sessions.c.beneficiary_id == beneficiary_id)
        )
