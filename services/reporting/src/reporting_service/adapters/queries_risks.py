"""The dropout-risk signals of one support provider's people, read from the active read models (the rules and
their thresholds are in ``domain.dropout_risk``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.queries_sources import housed_on
from reporting_service.adapters.tables import (
    fact_absence_alerts,
    fact_attendance_lines,
    fact_attendance_months,
    fact_cohorts,
    fact_housing,
    fact_needs,
    fact_people,
)
from reporting_service.domain.dropout_risk import ALERT_OPEN_DAYS, NEED_DUE_DAYS, MonthOfAttendance, falling
from reporting_service.domain.indicators.facts import ON_THE_PATH

p, c = fact_people.c, fact_cohorts.c


class RiskSignals:
    def __init__(self, connection: AsyncConnection, version: int, support_org_id: UUID, today: date) -> None:
        self._connection = connection
        self._version = version
        self._org = support_org_id
        self._today = today

    @staticmethod
    def _midnight(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=UTC)

    def _people(self) -> Select[Any]:
        """The provider's people still on the path: its support file, or its cohort's support provider."""
        return (
            select(p.beneficiary_id)
            .select_from(fact_people.outerjoin(fact_cohorts, and_(c.version == p.version, c.cohort_id == p.cohort_id)))
            .where(p.version == self._version, p.status.in_(ON_THE_PATH))
            .where(or_(p.support_org_id == self._org, c.support_provider_org_id == self._org))
        )

    async def _ids(self, query: Select[Any]) -> set[UUID]:
        return set((await self._connection.execute(query)).scalars())

    async def open_absence_alerts(self) -> set[UUID]:
        a, line = fact_absence_alerts.c, fact_attendance_lines.c
        since = self._midnight(self._today - timedelta(days=ALERT_OPEN_DAYS))
        present_since = exists().where(
            line.version == a.version,
            line.beneficiary_id == a.beneficiary_id,
            line.status == "present",
            line.held_on > a.raised_at,
        )
        query = select(a.beneficiary_id).where(
            a.version == self._version, a.raised_at >= since, ~present_since, a.beneficiary_id.in_(self._people())
        )
        return await self._ids(query)

    async def falling_attendance(self) -> set[UUID]:
        m = fact_attendance_months.c
        first = (self._today.replace(day=1) - timedelta(days=200)).replace(day=1)
        query = select(m.beneficiary_id, m.month, m.hours_recorded, m.hours_attended).where(
            m.version == self._version, m.month >= first, m.beneficiary_id.in_(self._people())
        )
        months: dict[UUID, dict[date, MonthOfAttendance]] = defaultdict(dict)
        for person, month, recorded, attended in await self._connection.execute(query):
            before = months[person].get(month)
            recorded, attended = Decimal(recorded), Decimal(attended)
            if before is not None:  # one row per step: a month adds its steps up
                recorded, attended = recorded + before.recorded, attended + before.attended
            months[person][month] = MonthOfAttendance(month, recorded, attended)
        return {person for person, found in months.items() if falling(list(found.values()), self._today)}

    async def no_housing_next_week(self) -> set[UUID]:
        h = fact_housing.c
        week = self._today + timedelta(days=7)
        tonight = select(h.beneficiary_id).where(h.version == self._version, housed_on(self._today))
        next_week = select(h.beneficiary_id).where(h.version == self._version, housed_on(week))
        people = self._people().where(p.beneficiary_id.in_(tonight), p.beneficiary_id.not_in(next_week))
        return await self._ids(people)

    async def administrative_need_overdue(self) -> set[UUID]:
        n = fact_needs.c
        due = self._midnight(self._today - timedelta(days=NEED_DUE_DAYS))
        query = select(n.beneficiary_id).where(
            n.version == self._version,
            n.category == "administrative",
            n.resolved_at.is_(None),
            n.opened_at < due,
            n.beneficiary_id.in_(self._people()),
        )
        return await self._ids(query)
