"""Loading and saving courses, sessions and participations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.keyset import after_key
from training_service.adapters.tables import courses, participations, sessions
from training_service.domain.course import Course, Session
from training_service.domain.vocabulary import CourseStatus, SessionKind, Step, Track


class CourseRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, course: Course, created_by_org_id: UUID, at: datetime) -> None:
        await self._connection.execute(
            insert(courses).values(
                id=course.id,
                step=int(course.step),
                track=course.track.value,
                cohort_id=course.cohort_id,
                beneficiary_id=course.beneficiary_id,
                provider_org_id=course.provider_org_id,
                planned_hours=course.planned_hours,
                support_french_hours=course.support_french_hours,
                starts_on=course.starts_on,
                ends_on=course.ends_on,
                status=course.status.value,
                created_at=at,
                created_by_org_id=created_by_org_id,
            )
        )

    async def get(self, course_id: UUID, *, lock: bool = False) -> Course | None:
        """The course; with ``lock``, held until commit so that a plan change and sessions added at the same time
        apply one after the other. The lock is taken by writing the row before reading it: on PostgreSQL a row
        lock that rows merely referring to the course (an import's attendance) do not wait for; on SQLite the
        database's single write lock, taken before the read (a transaction that read first would see the course
        as it was before the other committed)."""
        if lock:
            await self._connection.execute(
                update(courses).where(courses.c.id == course_id).values(status=courses.c.status)
            )
        row = (await self._connection.execute(select(courses).where(courses.c.id == course_id))).one_or_none()
        return _course(row) if row is not None else None

    async def update_plan(self, course: Course) -> None:
        await self._connection.execute(
            update(courses)
            .where(courses.c.id == course.id)
            .values(
                planned_hours=course.planned_hours,
                support_french_hours=course.support_french_hours,
                starts_on=course.starts_on,
                ends_on=course.ends_on,
            )
        )

    async def sessions_held(self, course_id: UUID) -> tuple[date, date] | None:
        """The days of the course's first and last sessions; None without any."""
        row = (
            await self._connection.execute(
                select(func.min(sessions.c.held_on), func.max(sessions.c.held_on)).where(
                    sessions.c.course_id == course_id
                )
            )
        ).one()
        return (row[0], row[1]) if row[0] is not None else None

    async def find(self, cohort_id: UUID | None, beneficiary_id: UUID | None, step: Step) -> Course | None:
        condition = courses.c.cohort_id == cohort_id if cohort_id else courses.c.beneficiary_id == beneficiary_id
        row = (
            await self._connection.execute(select(courses).where(condition, courses.c.step == int(step)))
        ).one_or_none()
        return _course(row) if row is not None else None

    async def search(
        self,
        *,
        provider_org_id: UUID | None,
        step: Step | None,
        cohort_id: UUID | None,
        after_id: UUID | None,
        limit: int,
    ) -> list[Course]:
        conditions: list[Any] = []
        if provider_org_id is not None:
            conditions.append(courses.c.provider_org_id == provider_org_id)
        if step is not None:
            conditions.append(courses.c.step == int(step))
        if cohort_id is not None:
            conditions.append(courses.c.cohort_id == cohort_id)
        rows = await self._connection.execute(
            after_key(select(courses).where(and_(True, *conditions)), courses.c.id, after_id, limit)
        )
        return [_course(row) for row in rows]

    async def courses_of(self, beneficiary_id: UUID, cohort_ids: frozenset[UUID]) -> list[Course]:
        condition = courses.c.beneficiary_id == beneficiary_id
        if cohort_ids:
            condition = or_(condition, courses.c.cohort_id.in_(list(cohort_ids)))
        rows = await self._connection.execute(select(courses).where(condition).order_by(courses.c.step))
        return [_course(row) for row in rows]

    async def individual_course_ids(self, beneficiary_id: UUID) -> list[UUID]:
        return list(
            await self._connection.scalars(select(courses.c.id).where(courses.c.beneficiary_id == beneficiary_id))
        )

    async def delete(self, course_id: UUID) -> None:
        await self._connection.execute(delete(courses).where(courses.c.id == course_id))

    async def set_status(self, course_id: UUID, status: CourseStatus) -> None:
        await self._connection.execute(update(courses).where(courses.c.id == course_id).values(status=status.value))

    # sessions
    async def add_sessions(self, found: list[Session]) -> None:
        if found:
            await self._connection.execute(
                insert(sessions),
                [
                    {
                        "id": session.id,
                        "course_id": session.course_id,
                        "held_on": session.held_on,
                        "starts_at": session.starts_at,
                        "ends_at": session.ends_at,
                        "hours": session.hours,
                        "kind": session.kind.value,
                        "trainer": session.trainer,
                        "place": session.place,
                    }
                    for session in found
                ],
            )

    async def sessions_of(self, course_id: UUID, first: date | None = None, last: date | None = None) -> list[Session]:
        conditions: list[Any] = [sessions.c.course_id == course_id]
        if first is not None:
            conditions.append(sessions.c.held_on >= first)
        if last is not None:
            conditions.append(sessions.c.held_on <= last)
        rows = await self._connection.execute(
            select(sessions).where(*conditions).order_by(sessions.c.held_on, sessions.c.starts_at)
        )
        return [_session(row) for row in rows]

    async def session(self, session_id: UUID) -> Session | None:
        row = (await self._connection.execute(select(sessions).where(sessions.c.id == session_id))).one_or_none()
        return _session(row) if row is not None else None

    async def sessions_by_id(self, ids: list[UUID]) -> dict[UUID, Session]:
        rows = await self._connection.execute(select(sessions).where(sessions.c.id.in_(ids)))
        return {row.id: _session(row) for row in rows}

    # participations
    async def closed_participations(self, course_id: UUID) -> dict[UUID, str]:
        rows = await self._connection.execute(
            select(participations.c.beneficiary_id, participations.c.status).where(
                participations.c.course_id == course_id
            )
        )
        return {row.beneficiary_id: row.status for row in rows}

    async def close_participation(self, row: dict[str, Any]) -> None:
        await self._connection.execute(insert(participations).values(**row))


def _course(row: Any) -> Course:
    return Course(
        id=row.id,
        step=Step(row.step),
        track=Track(row.track),
        cohort_id=row.cohort_id,
        beneficiary_id=row.beneficiary_id,
        provider_org_id=row.provider_org_id,
        planned_hours=row.planned_hours,
        support_french_hours=row.support_french_hours,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        status=CourseStatus(row.status),
    )


def _session(row: Any) -> Session:
    return Session(
        id=row.id,
        course_id=row.course_id,
        held_on=row.held_on,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        hours=row.hours,
        kind=SessionKind(row.kind),
        trainer=row.trainer,
        place=row.place,
    )
