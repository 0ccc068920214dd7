"""Absence alerts: those raised on a course's people, the list a provider or the operator works through across
courses, and their resolution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hopekit.db.keyset import after_key
from training_service.adapters.tables import absence_alerts, courses
from training_service.domain.vocabulary import AlertRule, AlertStatus, Step


@dataclass(frozen=True)
class AlertFilter:
    """None leaves a column unfiltered; ``provider_org_id`` and ``step`` carry the caller's scope."""

    provider_org_id: UUID | None = None
    step: Step | None = None
    course_id: UUID | None = None
    beneficiary_id: UUID | None = None
    status: AlertStatus | None = None
    after_id: UUID | None = None


@dataclass(frozen=True)
class Alert:
    id: UUID
    course_id: UUID
    beneficiary_id: UUID
    rule: AlertRule
    status: AlertStatus
    consecutive_unexcused: int | None
    attendance_rate: Decimal | None
    raised_at: datetime
    resolved_at: datetime | None


class AlertRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def search(self, criteria: AlertFilter, limit: int) -> list[Alert]:
        """Keyset pages in id order, so a page stays stable while new alerts are raised."""
        query = select(absence_alerts)
        if criteria.provider_org_id is not None or criteria.step is not None:
            query = query.join(courses, courses.c.id == absence_alerts.c.course_id)
            if criteria.provider_org_id is not None:
                query = query.where(courses.c.provider_org_id == criteria.provider_org_id)
            if criteria.step is not None:
                query = query.where(courses.c.step == int(criteria.step))
        if criteria.course_id is not None:
            query = query.where(absence_alerts.c.course_id == criteria.course_id)
        if criteria.beneficiary_id is not None:
            query = query.where(absence_alerts.c.beneficiary_id == criteria.beneficiary_id)
        if criteria.status is not None:
            query = query.where(absence_alerts.c.status == criteria.status.value)
        rows = await self._connection.execute(after_key(query, absence_alerts.c.id, criteria.after_id, limit))
        return [_alert(row) for row in rows]

    async def of_course(
        self, course_id: UUID | None = None, beneficiary_ids: Sequence[UUID] | None = None, *, only_open: bool = False
    ) -> list[Alert]:
        query = select(absence_alerts).order_by(absence_alerts.c.raised_at)
        if course_id is not None:
            query = query.where(absence_alerts.c.course_id == course_id)
        if beneficiary_ids is not None:
            query = query.where(absence_alerts.c.beneficiary_id.in_(list(beneficiary_ids)))
        if only_open:
            query = query.where(absence_alerts.c.status == AlertStatus.OPEN.value)
        return [_alert(row) for row in await self._connection.execute(query)]

    async def get(self, alert_id: UUID) -> Alert | None:
        row = (
            await self._connection.execute(select(absence_alerts).where(absence_alerts.c.id == alert_id))
        ).one_or_none()
        return _alert(row) if row is not None else None

    async def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self._connection.execute(insert(absence_alerts), list(rows))

    async def resolve(self, alert_id: UUID, at: datetime, by: str) -> bool:
        """Resolve an open alert; False when it was not open any more (resolved meanwhile by someone else)."""
        result = await self._connection.execute(
            update(absence_alerts)
            .where(absence_alerts.c.id == alert_id, absence_alerts.c.status == AlertStatus.OPEN.value)
            .values(status=AlertStatus.RESOLVED.value, resolved_at=at, resolved_by=by)
        )
        return result.rowcount == 1


def _alert(row: Any) -> Alert:
    return Alert(
        row.id,
        row.course_id,
        row.beneficiary_id,
        AlertRule(row.rule),
        AlertStatus(row.status),
        row.consecutive_unexcused,
        row.attendance_rate,
        row.raised_at,
        row.resolved_at,
    )
