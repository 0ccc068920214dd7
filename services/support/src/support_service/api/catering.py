"""/v1/meals-served and /v1/catering/reconciliation."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Query, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import UoW
from support_service.domain.catering import Month, Reconciliation
from support_service.domain.vocabulary import Meal
from support_service.service_layer import catering

router = service_router(tags=["catering"])


class ServedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    beneficiary_id: UUID
    served_on: date
    meal: Meal
    count: int = Field(ge=0, le=10)


class MealsServedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")] = Field(
        description="Where the counts come from (a canteen's export, `manual`): a re-import replaces its rows."
    )
    rows: list[ServedIn] = Field(min_length=1, max_length=5000)


class Recorded(BaseModel):
    recorded: int


class LineOut(BaseModel):
    meal: Meal
    owed: int
    served: int
    difference: int


class ReconciliationOut(BaseModel):
    beneficiary_id: UUID
    month: str
    balanced: bool
    lines: list[LineOut]

    @classmethod
    def of(cls, r: Reconciliation) -> ReconciliationOut:
        return cls(
            beneficiary_id=r.beneficiary_id,
            month=f"{r.month.year:04d}-{r.month.month:02d}",
            balanced=r.balanced,
            lines=[LineOut(meal=x.meal, owed=x.owed, served=x.served, difference=x.difference) for x in r.lines],
        )


@router.post(
    "/v1/meals-served", status_code=status.HTTP_201_CREATED, response_model=Recorded, dependencies=[IDEMPOTENT]
)
async def record_meals(body: MealsServedIn, principal: Caller, uow: UoW) -> Recorded:
    rows = [catering.ServedRow(r.beneficiary_id, r.served_on, r.meal, r.count) for r in body.rows]
    return Recorded(recorded=await catering.record_served(uow, principal, body.source, rows))


@router.get("/v1/catering/reconciliation", response_model=ReconciliationOut)
async def reconciliation(
    principal: Caller,
    uow: UoW,
    beneficiary_id: UUID,
    month: Annotated[str, Query(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM, 2000 to 2099")],
) -> ReconciliationOut:
    """Meals owed (lunch on each day present at training, full board on each night housed) against meals served."""
    year, number = (int(part) for part in month.split("-"))
    return ReconciliationOut.of(await catering.reconciliation(uow, principal, beneficiary_id, Month(year, number)))
