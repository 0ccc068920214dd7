"""/v1/commitments: a commitment made by hand (an individual path); step starts commit through events."""

from __future__ import annotations

from uuid import UUID

from fastapi import status
from pydantic import BaseModel

from funding_service.api.dependencies import UoW
from funding_service.api.schemas import Money, Quantity, Strict
from funding_service.service_layer import commitments
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["commitments"])


class CommitmentIn(Strict):
    beneficiary_id: UUID
    budget_line_id: UUID
    quantity: Quantity


class CommitmentOut(BaseModel):
    id: UUID
    beneficiary_id: UUID
    budget_line_id: UUID
    amount: Money
    line_available: Money


@router.post(
    "/v1/commitments", status_code=status.HTTP_201_CREATED, response_model=CommitmentOut, dependencies=[IDEMPOTENT]
)
async def commit(body: CommitmentIn, principal: Caller, uow: UoW) -> CommitmentOut:
    """Reserves ``quantity`` times the line's rate for a person. When the line has not that much available: 409
    ``limit-exceeded`` with ``available`` (what the line has left) and ``requested``."""
    event, left = await commitments.commit_by_hand(
        uow, principal, body.beneficiary_id, body.budget_line_id, body.quantity
    )
    return CommitmentOut(
        id=event.commitment_id,
        beneficiary_id=body.beneficiary_id,
        budget_line_id=body.budget_line_id,
        amount=event.total_amount,
        line_available=left,
    )
