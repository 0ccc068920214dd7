"""Training's courses as last scheduled, and the step commitments their planned hours adjust."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.tables import cohort_members, commitments, courses, pathways


@dataclass(frozen=True)
class ScheduledCourse:
    course_id: UUID
    step: int
    cohort_id: UUID | None
    beneficiary_id: UUID | None
    provider_org_id: UUID
    planned_hours: Decimal
    starts_on: date
    ends_on: date
    scheduled_at: datetime


@dataclass(frozen=True)
class StepCommitment:
    commitment_id: UUID
    beneficiary_id: UUID
    step: int
    plan_id: UUID
    outcome: str
    planned_hours: Decimal
    scheduled_hours: Decimal


class CourseRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def note(self, course: ScheduledCourse) -> bool:
        """Keep this version of the course unless a later one is already kept; True when it was kept."""
        values = {
            "step": course.step,
            "cohort_id": course.cohort_id,
            "beneficiary_id": course.beneficiary_id,
            "provider_org_id": course.provider_org_id,
            "planned_hours": course.planned_hours,
            "starts_on": course.starts_on,
            "ends_on": course.ends_on,
            "scheduled_at": course.scheduled_at,
        }
        kept = await self._connection.scalar(select(courses.c.scheduled_at).where(courses.c.id == course.course_id))
        if kept is None:
            await self._connection.execute(courses.insert().values(id=course.course_id, **values))
            return True
        if kept >= course.scheduled_at:
            return False
        await self._connection.execute(update(courses).where(courses.c.id == course.course_id).values(values))
        return True

    async def planned_hours(self, step: int, cohort_id: UUID | None, beneficiary_id: UUID) -> Decimal | None:
        """The hours of the person's own course for the step, else of their cohort's; None when none is known."""
        mine = and_(courses.c.beneficiary_id == beneficiary_id, courses.c.step == step)
        where = mine if cohort_id is None else or_(mine, and_(courses.c.cohort_id == cohort_id, courses.c.step == step))
        rows = list(await self._connection.execute(select(courses).where(where)))
        rows.sort(key=lambda row: row.beneficiary_id is None)
        return rows[0].planned_hours if rows else None

    async def commitments_for(self, course: ScheduledCourse) -> list[StepCommitment]:
        """The step commitments a course's hours stand for: its person's, or its cohort members' at that step
        (those without a course of their own). A withdrawn person's are left alone: what was committed went
        back to the lines."""
        query = (
            select(commitments)
            .join(pathways, pathways.c.beneficiary_id == commitments.c.beneficiary_id, isouter=True)
            .where(commitments.c.step == course.step, pathways.c.withdrawn_at.is_(None))
            .order_by(commitments.c.beneficiary_id, commitments.c.plan_id)
        )
        if course.beneficiary_id is not None:
            query = query.where(commitments.c.beneficiary_id == course.beneficiary_id)
        else:
            members = select(cohort_members.c.beneficiary_id).where(cohort_members.c.cohort_id == course.cohort_id)
            # A member with a course of their own for the step follows that one.
            own = select(courses.c.beneficiary_id).where(
                courses.c.beneficiary_id.is_not(None), courses.c.step == course.step
            )
            query = query.where(commitments.c.beneficiary_id.in_(members), commitments.c.beneficiary_id.not_in(own))
        return [
            StepCommitment(
                row.id, row.beneficiary_id, row.step, row.plan_id, row.outcome, row.planned_hours, row.scheduled_hours
            )
            for row in await self._connection.execute(query)
        ]

    async def step_commitments(self, people: Iterable[UUID], step: int, plan_id: UUID) -> dict[UUID, Decimal]:
        """Per person, the hours their step commitment on this plan stands for, if it holds money for them: made
        (not unfunded nor on an inactive agreement) and not released by a withdrawal."""
        ids = sorted(set(people))
        if not ids:
            return {}
        rows = await self._connection.execute(
            select(commitments.c.beneficiary_id, commitments.c.planned_hours)
            .join(pathways, pathways.c.beneficiary_id == commitments.c.beneficiary_id, isouter=True)
            .where(
                commitments.c.beneficiary_id.in_(ids),
                commitments.c.step == step,
                commitments.c.plan_id == plan_id,
                commitments.c.outcome == "committed",
                pathways.c.withdrawn_at.is_(None),
            )
        )
        return {row.beneficiary_id: row.planned_hours for row in rows}

    async def record(
        self, commitment_id: UUID, planned_hours: Decimal, scheduled_hours: Decimal, amount: Decimal
    ) -> None:
        await self._connection.execute(
            update(commitments)
            .where(commitments.c.id == commitment_id)
            .values(planned_hours=planned_hours, scheduled_hours=scheduled_hours, amount=amount)
        )
