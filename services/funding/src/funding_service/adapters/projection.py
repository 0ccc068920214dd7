"""Enrolment's cohorts' members and each person's path, as this service needs them (the cohorts themselves:
``hopekit.cohorts``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.tables import cohort_members, cohorts, commitments, financing_plans, pathways
from funding_service.domain.money import to_cent
from hopekit.db.keyset import after_key
from hopekit.db.upsert import insert_ignore, upsert

# A course re-scheduled with more hours than the plan's lines had left: the commitment kept its earlier hours.
UNFUNDED_INCREASE = "unfunded_increase"


class ProjectionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def note_member(self, cohort_id: UUID, beneficiary_id: UUID) -> None:
        await insert_ignore(
            self._connection, cohort_members, [{"cohort_id": cohort_id, "beneficiary_id": beneficiary_id}]
        )

    async def members(self, cohort_id: UUID) -> list[UUID]:
        rows = await self._connection.execute(
            select(cohort_members.c.beneficiary_id).where(cohort_members.c.cohort_id == cohort_id)
        )
        return sorted(row.beneficiary_id for row in rows)

    async def note_step(self, beneficiary_id: UUID, track: str, step: int, cohort_id: UUID | None) -> None:
        await upsert(
            self._connection,
            pathways,
            [{"beneficiary_id": beneficiary_id, "track": track, "step": step, "cohort_id": cohort_id}],
            keys=["beneficiary_id"],
            update=["track", "step", "cohort_id"],
        )

    async def cohort_of(self, beneficiary_id: UUID) -> UUID | None:
        found: UUID | None = await self._connection.scalar(
            select(pathways.c.cohort_id).where(pathways.c.beneficiary_id == beneficiary_id)
        )
        if found is not None:
            return found
        member: UUID | None = await self._connection.scalar(
            select(cohort_members.c.cohort_id).where(cohort_members.c.beneficiary_id == beneficiary_id)
        )
        return member

    async def note_withdrawal(self, beneficiary_id: UUID, at: datetime) -> None:
        await self._connection.execute(
            update(pathways).where(pathways.c.beneficiary_id == beneficiary_id).values(withdrawn_at=at)
        )

    async def pending_commitments(self, after: UUID | None, limit: int) -> list[PendingCommitment]:
        return await pending_commitments(self._connection, after, limit)

    async def cohorts_without_plan(self, cost_type: str, step: int) -> list[UUID]:
        planned = select(financing_plans.c.cohort_id).where(
            financing_plans.c.cost_type == cost_type,
            financing_plans.c.step == step,
            financing_plans.c.cohort_id.is_not(None),
        )
        rows = await self._connection.execute(
            select(cohorts.c.id).where(cohorts.c.id.not_in(planned)).order_by(cohorts.c.id)
        )
        return [row.id for row in rows]


@dataclass(frozen=True)
class PendingCommitment:
    commitment_id: UUID
    beneficiary_id: UUID
    step: int
    plan_id: UUID
    amount: Decimal
    outcome: str


async def pending_commitments(connection: AsyncConnection, after: UUID | None, limit: int) -> list[PendingCommitment]:
    """Step starts that committed nothing (the lines had not enough left, or their agreement was not active),
    and commitments a re-scheduled course wanted raised and the lines could not pay (``unfunded_increase``: the
    amount is what is missing)."""
    query = after_key(
        select(commitments, financing_plans.c.unit_cost)
        .join(financing_plans, financing_plans.c.id == commitments.c.plan_id)
        .where((commitments.c.outcome != "committed") | (commitments.c.scheduled_hours != commitments.c.planned_hours)),
        commitments.c.id,
        after,
        limit,
    )
    found = []
    for row in await connection.execute(query):
        if row.outcome == "committed":
            missing = to_cent(row.scheduled_hours * row.unit_cost) - to_cent(row.planned_hours * row.unit_cost)
            found.append(
                PendingCommitment(row.id, row.beneficiary_id, row.step, row.plan_id, missing, UNFUNDED_INCREASE)
            )
        else:
            found.append(PendingCommitment(row.id, row.beneficiary_id, row.step, row.plan_id, row.amount, row.outcome))
    return found
