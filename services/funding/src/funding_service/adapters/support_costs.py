"""Support's sources of cost (placements, months of meals, files) as last counted, and the amounts posted for
each (rows of ``consumption_posted`` whose ``course_id`` is the source)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.consumption import keep_posted_rows
from funding_service.adapters.tables import consumption_posted, support_costs
from funding_service.adapters.upsert import upsert
from funding_service.domain.consumption import PostedAmounts
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import CostType


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


class SupportCostRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def source(self, source_id: UUID) -> SupportSource | None:
        row = (await self._connection.execute(select(support_costs).where(support_costs.c.id == source_id))).first()
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
        }
        await upsert(self._connection, support_costs, [row], keys=["id"], update=[k for k in row if k != "id"])

    async def unfunded(self, after: UUID | None, limit: int) -> list[SupportSource]:
        query = select(support_costs.c.id).where(support_costs.c.unfunded.is_not(None)).order_by(support_costs.c.id)
        if after is not None:
            query = query.where(support_costs.c.id > after)
        found = []
        for source_id in (await self._connection.scalars(query.limit(limit))).all():
            source = await self.source(source_id)
            assert source is not None
            found.append(source)
        return found

    async def posted(self, source_id: UUID, beneficiary_id: UUID) -> PostedAmounts:
        rows = await self._connection.execute(
            select(consumption_posted).where(
                consumption_posted.c.course_id == source_id, consumption_posted.c.beneficiary_id == beneficiary_id
            )
        )
        posted: dict[tuple[UUID, UUID], Decimal] = {}
        quantities: dict[tuple[UUID, UUID], Decimal] = {}
        for row in rows:
            posted[(row.session_id, row.budget_line_id)] = row.amount
            quantities[(row.session_id, row.budget_line_id)] = row.funded_hours
        return PostedAmounts(beneficiary_id, posted, quantities)

    async def keep_posted(self, source_id: UUID, amounts: PostedAmounts, held_on: Mapping[UUID, date]) -> None:
        """Write back what the ledger now holds for the source (claimed amounts are left as they are)."""
        person = amounts.beneficiary_id
        keys = [(person, reference, line) for reference, line in amounts.posted]
        stale = delete(consumption_posted).where(
            consumption_posted.c.course_id == source_id, consumption_posted.c.beneficiary_id == person
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
                "course_id": source_id,
                "held_on": held_on[reference],
                "funded_hours": amounts.quantities.get((reference, line), ZERO),
                "amount": amount,
                "claimed_amount": ZERO,
            }
            for (reference, line), amount in sorted(amounts.posted.items())
        ]
        await keep_posted_rows(self._connection, rows)
