"""Exit outcomes, follow-ups and their contact attempts in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from employment_service.adapters.tables import exit_outcomes, follow_up_attempts, follow_ups
from employment_service.domain.errors import OutcomeAlreadyRecorded
from employment_service.domain.follow_up import FollowUp
from employment_service.domain.observation import Observation
from employment_service.domain.outcome import ExitOutcome
from employment_service.domain.vocabulary import EvidenceSource, FollowUpStatus, OutcomeCode


@dataclass(frozen=True)
class FollowUpScope:
    """Which follow-ups a list may show: None means no restriction on that column."""

    support_provider_org_id: UUID | None = None
    public_employment_only: bool = False


def _observation(row: Any) -> Observation | None:
    if row.code is None:
        return None
    hours = Decimal(row.weekly_hours) if row.weekly_hours is not None else None
    return Observation(OutcomeCode(row.code), EvidenceSource(row.evidence_source), row.employer_id, hours)


def _outcome(row: Any) -> ExitOutcome:
    observation = _observation(row)
    assert observation is not None  # exit_outcomes.code is NOT NULL
    return ExitOutcome(row.beneficiary_id, row.exit_on, observation, row.recorded_at)


def _follow_up(row: Any, attempts: list[datetime]) -> FollowUp:
    return FollowUp(
        id=row.id,
        beneficiary_id=row.beneficiary_id,
        months_after_exit=row.months_after_exit,
        due_on=row.due_on,
        status=FollowUpStatus(row.status),
        attempts=attempts,
        observed_on=row.observed_on,
        observation=_observation(row),
    )


def _observed(observation: Observation | None) -> dict[str, Any]:
    return {
        "code": observation.code.value if observation else None,
        "evidence_source": observation.evidence.value if observation else None,
        "employer_id": observation.employer_id if observation else None,
        "weekly_hours": observation.weekly_hours if observation else None,
    }


class OutcomeRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, beneficiary_id: UUID) -> ExitOutcome | None:
        query = select(exit_outcomes).where(exit_outcomes.c.beneficiary_id == beneficiary_id)
        row = (await self._connection.execute(query)).first()
        return _outcome(row) if row is not None else None

    async def add(
        self,
        outcome: ExitOutcome,
        recorded_by_org_id: UUID,
        schedule: list[FollowUp],
        support_provider_org_id: UUID | None,
        public_employment_visible: bool,
    ) -> None:
        try:
            await self._connection.execute(
                insert(exit_outcomes).values(
                    beneficiary_id=outcome.beneficiary_id,
                    exit_on=outcome.exit_on,
                    recorded_by_org_id=recorded_by_org_id,
                    recorded_at=outcome.recorded_at,
                    **_observed(outcome.observation),
                )
            )
        except IntegrityError as error:  # a concurrent recording won the primary key
            raise OutcomeAlreadyRecorded(outcome.beneficiary_id) from error
        await self._connection.execute(
            insert(follow_ups),
            [
                {
                    "id": f.id,
                    "beneficiary_id": f.beneficiary_id,
                    "months_after_exit": f.months_after_exit,
                    "due_on": f.due_on,
                    "status": f.status.value,
                    "observed_on": None,
                    "support_provider_org_id": support_provider_org_id,
                    "public_employment_visible": public_employment_visible,
                    **_observed(None),
                }
                for f in schedule
            ],
        )

    async def follow_up(self, follow_up_id: UUID) -> FollowUp | None:
        row = (await self._connection.execute(select(follow_ups).where(follow_ups.c.id == follow_up_id))).first()
        if row is None:
            return None
        attempts = await self._connection.scalars(
            select(follow_up_attempts.c.at)
            .where(follow_up_attempts.c.follow_up_id == follow_up_id)
            .order_by(follow_up_attempts.c.at)
        )
        return _follow_up(row, list(attempts))

    async def follow_ups_of(self, beneficiary_id: UUID) -> list[FollowUp]:
        query = (
            select(follow_ups.c.id)
            .where(follow_ups.c.beneficiary_id == beneficiary_id)
            .order_by(follow_ups.c.months_after_exit)
        )
        found = [await self.follow_up(i) for i in await self._connection.scalars(query)]
        return [f for f in found if f is not None]

    async def add_attempt(self, follow_up_id: UUID, at: datetime, by_org_id: UUID) -> None:
        await self._connection.execute(
            insert(follow_up_attempts).values(id=uuid4(), follow_up_id=follow_up_id, at=at, by_org_id=by_org_id)
        )

    async def save_follow_up(self, follow_up: FollowUp) -> None:
        await self._connection.execute(
            update(follow_ups)
            .where(follow_ups.c.id == follow_up.id)
            .values(
                status=follow_up.status.value, observed_on=follow_up.observed_on, **_observed(follow_up.observation)
            )
        )

    async def due_page(
        self,
        scope: FollowUpScope,
        status: FollowUpStatus | None,
        due_before: date | None,
        after: tuple[date, UUID] | None,
        limit: int,
    ) -> list[Any]:
        """Keyset on (due_on, id), so that the index (org, status, due_on, id) answers each page directly."""
        query = select(follow_ups).order_by(follow_ups.c.due_on, follow_ups.c.id).limit(limit)
        query = query.where(*self._scope(scope))
        if status is not None:
            query = query.where(follow_ups.c.status == status.value)
        if due_before is not None:
            query = query.where(follow_ups.c.due_on <= due_before)
        if after is not None:
            due_on, last = after
            query = query.where(
                or_(follow_ups.c.due_on > due_on, and_(follow_ups.c.due_on == due_on, follow_ups.c.id > last))
            )
        return list(await self._connection.execute(query))

    async def attempt_counts(self, follow_up_ids: list[UUID]) -> dict[UUID, int]:
        if not follow_up_ids:
            return {}
        query = (
            select(follow_up_attempts.c.follow_up_id, func.count())
            .where(follow_up_attempts.c.follow_up_id.in_(follow_up_ids))
            .group_by(follow_up_attempts.c.follow_up_id)
        )
        return {row[0]: row[1] for row in await self._connection.execute(query)}

    async def summary(self, scope: FollowUpScope, today: date) -> list[Any]:
        """Counts per months-after-exit and status, overdue apart: unreachable people are counted, not dropped."""
        overdue = and_(follow_ups.c.status == FollowUpStatus.DUE.value, follow_ups.c.due_on < today)
        query = (
            select(
                follow_ups.c.months_after_exit,
                follow_ups.c.status,
                func.count().label("count"),
                func.sum(case((overdue, 1), else_=0)).label("overdue"),
            )
            .where(*self._scope(scope))
            .group_by(follow_ups.c.months_after_exit, follow_ups.c.status)
        )
        return list(await self._connection.execute(query))

    async def set_visibility(
        self, beneficiary_id: UUID, support_provider_org_id: UUID | None, public_employment_visible: bool
    ) -> None:
        await self._connection.execute(
            update(follow_ups)
            .where(follow_ups.c.beneficiary_id == beneficiary_id)
            .values(
                support_provider_org_id=support_provider_org_id, public_employment_visible=public_employment_visible
            )
        )

    async def forget_person(self, beneficiary_id: UUID) -> None:
        """Erasure: attempts and follow-ups still due go; the outcome and the answered follow-ups keep their
        counts under fresh random ids, so the KPIs stay true and nothing leads back to the person."""
        due = select(follow_ups.c.id).where(
            follow_ups.c.beneficiary_id == beneficiary_id, follow_ups.c.status == FollowUpStatus.DUE.value
        )
        every = select(follow_ups.c.id).where(follow_ups.c.beneficiary_id == beneficiary_id)
        await self._connection.execute(delete(follow_up_attempts).where(follow_up_attempts.c.follow_up_id.in_(every)))
        await self._connection.execute(delete(follow_ups).where(follow_ups.c.id.in_(due)))
        stand_in = uuid4()
        await self._connection.execute(
            update(exit_outcomes)
            .where(exit_outcomes.c.beneficiary_id == beneficiary_id)
            .values(beneficiary_id=stand_in)
        )
        await self._connection.execute(
            update(follow_ups)
            .where(follow_ups.c.beneficiary_id == beneficiary_id)
            .values(beneficiary_id=stand_in, support_provider_org_id=None, public_employment_visible=False)
        )

    @staticmethod
    def _scope(scope: FollowUpScope) -> list[Any]:
        conditions: list[Any] = []
        if scope.support_provider_org_id is not None:
            conditions.append(follow_ups.c.support_provider_org_id == scope.support_provider_org_id)
        if scope.public_employment_only:
            conditions.append(follow_ups.c.public_employment_visible.is_(True))
        return conditions
