"""Claims, their lines and their history in the database."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from funding_service.adapters.tables import claim_lines, claim_transitions, claims
from funding_service.domain.claim import Claim, ClaimLine, ClaimTransition, Payment
from funding_service.domain.vocabulary import ClaimStatus, CostType
from hopekit.db.keyset import after_key


class ClaimRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, claim: Claim) -> None:
        await self._connection.execute(
            insert(claims).values(
                id=claim.claim_id,
                agreement_id=claim.agreement_id,
                period_start=claim.period_start,
                period_end=claim.period_end,
                status=claim.status.value,
            )
        )
        await self._write_lines(claim)
        await self._add_transitions(claim, 0)

    async def get(self, claim_id: UUID, lock: bool = False, only_of: UUID | None = None) -> Claim | None:
        """The claim; ``only_of`` loads only that person's lines (a certificate needs no more)."""
        query = select(claims).where(claims.c.id == claim_id)
        if lock:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        lines_query = (
            select(claim_lines)
            .where(claim_lines.c.claim_id == claim_id)
            .order_by(claim_lines.c.beneficiary_id, claim_lines.c.budget_line_id)
        )
        if only_of is not None:
            lines_query = lines_query.where(claim_lines.c.beneficiary_id == only_of)
        lines = await self._connection.execute(lines_query)
        history = await self._connection.execute(
            select(claim_transitions)
            .where(claim_transitions.c.claim_id == claim_id)
            .order_by(claim_transitions.c.position)
        )
        return Claim(
            claim_id=row.id,
            agreement_id=row.agreement_id,
            period_start=row.period_start,
            period_end=row.period_end,
            lines=[
                ClaimLine(
                    line.beneficiary_id,
                    line.budget_line_id,
                    CostType(line.cost_type),
                    line.claimed,
                    line.approved,
                    line.reason_code,
                )
                for line in lines
            ],
            status=ClaimStatus(row.status),
            history=[_transition(h) for h in history],
            payment=Payment(row.payment_reference, row.paid_on, row.paid_amount) if row.payment_reference else None,
        )

    async def page(self, after: UUID | None, limit: int, agreement_ids: set[UUID] | None) -> list[UUID]:
        query = after_key(select(claims.c.id), claims.c.id, after, limit)
        if agreement_ids is not None:
            query = query.where(claims.c.agreement_id.in_(agreement_ids))
        return [row.id for row in await self._connection.execute(query)]

    async def save(self, claim: Claim, known_transitions: int) -> None:
        payment = claim.payment
        await self._connection.execute(
            update(claims)
            .where(claims.c.id == claim.claim_id)
            .values(
                status=claim.status.value,
                payment_reference=payment.reference if payment else None,
                paid_on=payment.paid_on if payment else None,
                paid_amount=payment.amount if payment else None,
            )
        )
        await self._write_lines(claim)
        await self._add_transitions(claim, known_transitions)

    async def _write_lines(self, claim: Claim) -> None:
        await self._connection.execute(delete(claim_lines).where(claim_lines.c.claim_id == claim.claim_id))
        await self._connection.execute(
            insert(claim_lines),
            [
                {
                    "claim_id": claim.claim_id,
                    "beneficiary_id": line.beneficiary_id,
                    "budget_line_id": line.budget_line_id,
                    "cost_type": line.cost_type.value,
                    "claimed": line.claimed,
                    "approved": line.approved,
                    "reason_code": line.reason_code,
                }
                for line in claim.lines
            ],
        )

    async def _add_transitions(self, claim: Claim, start: int) -> None:
        entries = claim.history[start:]
        if entries:
            await self._connection.execute(
                insert(claim_transitions),
                [
                    {
                        "id": uuid4(),
                        "claim_id": claim.claim_id,
                        "position": start + offset,
                        "from_status": e.from_status.value if e.from_status else None,
                        "to_status": e.to_status.value,
                        "on": e.on,
                        "at": e.at,
                        "actor": e.actor,
                        "actor_org_id": e.actor_org_id,
                        "comment": e.comment,
                    }
                    for offset, e in enumerate(entries)
                ],
            )


def _transition(row: Any) -> ClaimTransition:
    return ClaimTransition(
        ClaimStatus(row.from_status) if row.from_status else None,
        ClaimStatus(row.to_status),
        row.on,
        row.at,
        row.actor,
        row.actor_org_id,
        row.comment,
    )
