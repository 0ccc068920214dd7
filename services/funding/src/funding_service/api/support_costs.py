"""/v1/unfunded-support-costs: support's units (nights, meals, person-months) no line pays, and why."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, Field

from funding_service.api.dependencies import UoW
from funding_service.api.schemas import Quantity
from funding_service.domain.vocabulary import CostType
from funding_service.service_layer import support_costs
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, next_cursor
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["support costs"])


class UnfundedSupportCostOut(BaseModel):
    id: UUID = Field(description="The placement, the support file, or the person's month of meals.")
    beneficiary_id: UUID
    cost_type: CostType
    starts_on: date | None
    ended_on: date | None = Field(description="Released or closed on.")
    quantity: Quantity = Field(description="Units counted now: nights, funded meals (lunches and dinners), months.")
    reason: Literal["no_plan", "no_money", "inactive"] = Field(
        description="no_plan (no financing plan of the person or cohort pays this cost type), no_money (its lines "
        "have not that much left: what was paid before stays paid), inactive (an agreement not active)."
    )


@router.get("/v1/unfunded-support-costs", response_model=Page[UnfundedSupportCostOut])
async def unfunded_support_costs(
    principal: Caller,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[UnfundedSupportCostOut]:
    """Support's placements, months of meals and files whose units no line pays: what the operator has to fund."""
    found = [
        UnfundedSupportCostOut(
            id=s.source_id,
            beneficiary_id=s.beneficiary_id,
            cost_type=s.cost_type,
            starts_on=s.starts_on,
            ended_on=s.ended_on,
            quantity=s.quantity,
            reason=s.unfunded,
        )
        for s in await support_costs.unfunded_page(uow, principal, after_id(cursor), limit + 1)
    ]
    return Page[UnfundedSupportCostOut](items=found[:limit], next_cursor=next_cursor(found, limit))
