"""Support's sources of cost (placements, months of meals, files) as last counted, and the amounts posted for
each (rows of ``consumption_posted`` whose ``source_id`` is the source)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import delete, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.consumption import keep_posted_rows
from funding_service.adapters.tables import (
    cohort_members,
    consumption_posted,
    financing_plans,
    pathways,
    plan_shares,
    support_costs,
)
from funding_service.domain.consumption import PostedAmounts
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import CostType
from hopekit.db.keyset import after_key
from hopekit.db.upsert import upsert


@dataclass(frozen=True)
class SupportSource:
    source_id: UUID
    cost_type: CostType
    beneficiary_id: UUID
    cohort_id: UUID | None
    starts_on: date | None
    ends_on: date | None
    ended_on: date | None
    updated_at: datetime
    quantity: Decimal = ZERO
    unfunded: str | None = None
    # The last support event applied (None for a source kept before revision 0005).
    event_id: UUID | None = None


@dataclass(frozen=True)
class Payee:
    """Whom a plan pays a cost type for: a cohort's members, or one person's individual path."""

    cost_type: str
    cohort_id: UUID | None
    beneficiary_id: UUID | None


class SupportCostRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def source(self, source_id: UUID, lock: bool = False) -> SupportSource | None:
        """The source as last counted; ``lock`` holds its row until the transaction ends (a support event and a
        retry of the source's unpaid units never count it at once)."""
        query = select(support_costs).where(support_costs.c.id == source_id)
        if lock:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        return SupportSource(
            row.id,
            CostType(row.cost_type),
            row.beneficiary_id,
            row.cohort_id,
            row.starts_on,
            row.ends_on,
            row.ended_on,
            row.updated_at,
            row.quantity,
            row.unfunded,
            row.event_id,
        )

    async def save(self, source: SupportSource) -> None:
        row = {
            "id": source.source_id,
            "cost_type": source.cost_type.value,
            "beneficiary_id": source.beneficiary_id,
            "cohort_id": source.cohort_id,
            "starts_on": source.starts_on,
            "ends_on": source.ends_on,
            "ended_on": source.ended_on,
            "quantity": source.quantity,
            "unfunded": source.unfunded,
            "updated_at": source.updated_at,
            "event_id": source.event_id,
        }
        await upsert(self._connection, support_costs, [row], keys=["id"], update=[k for k in row if k != "id"])

    async def unfunded(self, after: UUID | None, limit: int) -> list[SupportSource]:
        query = select(support_costs.c.id).where(support_costs.c.unfunded.is_not(None))
        query = after_key(query, support_costs.c.id, after, limit)
        return await self._sources((await self._connection.scalars(query)).all())

    async def _sources(self, source_ids: Iterable[UUID]) -> list[SupportSource]:
        found = []
        for source_id in source_ids:
            source = await self.source(source_id)
            assert source is not None
            found.append(source)
        return found

    async def open_files(self, after: UUID | None, limit: int) -> list[tuple[UUID, date, Decimal]]:
        """Support files open now (opened, not closed), by id, with their first day and the months counted: what
        the monthly count goes through."""
        query = (
            select(support_costs.c.id, support_costs.c.starts_on, support_costs.c.quantity)
            .where(
                support_costs.c.cost_type == CostType.SUPPORT_PER_PERSON_MONTH.value,
                support_costs.c.starts_on.is_not(None),
                support_costs.c.ended_on.is_(None),
            )
            .order_by(support_costs.c.id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(support_costs.c.id > after)
        return [(row.id, row.starts_on, row.quantity) for row in await self._connection.execute(query)]

    async def payees_of_lines(self, line_ids: Iterable[UUID]) -> list[Payee]:
        """Whom the plans that draw on these lines pay (cohort or person, cost type)."""
        rows = await self._connection.execute(
            select(financing_plans.c.cost_type, financing_plans.c.cohort_id, financing_plans.c.beneficiary_id)
            .join(plan_shares, plan_shares.c.plan_id == financing_plans.c.id)
            .where(plan_shares.c.budget_line_id.in_(sorted(set(line_ids))))
            .distinct()
        )
        return [Payee(row.cost_type, row.cohort_id, row.beneficiary_id) for row in rows]

    async def unfunded_of(self, payees: Iterable[Payee], limit: int) -> list[SupportSource]:
        """The unfunded sources these payees' plans could pay, oldest first: a person's own, or a cohort's (its
        files, and the sources of its members and of the people whose path is in it). Their rows are locked, in that
        order, skipping those another transaction holds (``support_retry``'s lock order): that transaction counts
        the source itself, after this one's money moves if it needs the same accounts."""
        matches = []
        for payee in payees:
            if payee.beneficiary_id is not None:
                whom = support_costs.c.beneficiary_id == payee.beneficiary_id
            else:
                members = select(cohort_members.c.beneficiary_id).where(cohort_members.c.cohort_id == payee.cohort_id)
                on_path = select(pathways.c.beneficiary_id).where(pathways.c.cohort_id == payee.cohort_id)
                whom = or_(
                    support_costs.c.cohort_id == payee.cohort_id,
                    support_costs.c.beneficiary_id.in_(members),
                    support_costs.c.beneficiary_id.in_(on_path),
                )
            matches.append((support_costs.c.cost_type == payee.cost_type) & whom)
        if not matches:
            return []
        query = (
            select(support_costs.c.id)
            .where(support_costs.c.unfunded.is_not(None), or_(*matches))
            .order_by(support_costs.c.updated_at, support_costs.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._sources((await self._connection.scalars(query)).all())

    async def posted(self, source_id: UUID, beneficiary_id: UUID) -> tuple[PostedAmounts, dict[UUID, date]]:
        """What the ledger holds for the source, and the day each of its months' references is dated."""
        rows = await self._connection.execute(
            select(consumption_posted).where(
                consumption_posted.c.source_id == source_id, consumption_posted.c.beneficiary_id == beneficiary_id
            )
        )
        posted: dict[tuple[UUID, UUID], Decimal] = {}
        quantities: dict[tuple[UUID, UUID], Decimal] = {}
        held_on: dict[UUID, date] = {}
        for row in rows:
            posted[(row.session_id, row.budget_line_id)] = row.amount
            quantities[(row.session_id, row.budget_line_id)] = row.funded_hours
            held_on[row.session_id] = row.held_on
        return PostedAmounts(beneficiary_id, posted, quantities), held_on

    async def keep_posted(self, source_id: UUID, amounts: PostedAmounts, held_on: Mapping[UUID, date]) -> None:
        """Write back what the ledger now holds for the source (claimed amounts are left as they are)."""
        person = amounts.beneficiary_id
        keys = [(person, reference, line) for reference, line in amounts.posted]
        stale = delete(consumption_posted).where(
            consumption_posted.c.source_id == source_id, consumption_posted.c.beneficiary_id == person
        )
        if keys:
            stale = stale.where(
                tuple_(
                    consumption_posted.c.beneficiary_id,
                    consumption_posted.c.session_id,
                    consumption_posted.c.budget_line_id,
                ).not_in(keys)
            )
        await self._connection.execute(stale)
        rows = [
            {
                "beneficiary_id": person,
                "session_id": reference,
                "budget_line_id": line,
                "source_id": source_id,
                "held_on": held_on[reference],
                "funded_hours": amounts.quantities.get((reference, line), ZERO),
                "amount": amount,
                "claimed_amount": ZERO,
            }
            for (reference, line), amount in sorted(amounts.posted.items())
        ]
        await keep_posted_rows(self._connection, rows)
