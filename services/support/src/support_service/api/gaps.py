"""/v1/housing-gaps and the step end a referent enters on a file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from fastapi import status
from pydantic import BaseModel, ConfigDict

from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import UoW
from support_service.domain.gaps import GapKind, HousingGap
from support_service.service_layer import gaps

router = service_router(tags=["housing"])


class StepEndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step_ends_on: date | None


class GapOut(BaseModel):
    beneficiary_id: UUID
    step: int
    kind: GapKind
    uncovered_from: date
    step_ends_on: date

    @classmethod
    def of(cls, g: HousingGap) -> GapOut:
        return cls(
            beneficiary_id=g.beneficiary_id,
            step=g.step,
            kind=g.kind,
            uncovered_from=g.uncovered_from,
            step_ends_on=g.step_ends_on,
        )


class GapList(BaseModel):
    items: list[GapOut]


@router.get("/v1/housing-gaps", response_model=GapList)
async def housing_gaps(principal: Caller, uow: UoW, today: date | None = None) -> GapList:
    """People in step 3 or 4 without a bed for the coming week, or whose placement ends before their step ends."""
    day = today or datetime.now(UTC).date()
    return GapList(items=[GapOut.of(g) for g in await gaps.gaps(uow, principal, day)])


@router.put("/v1/files/{file_id}/step-end", status_code=status.HTTP_204_NO_CONTENT)
async def set_step_end(file_id: UUID, body: StepEndIn, principal: Caller, uow: UoW) -> None:
    """The end of the person's current step, by hand: the housing gaps use it only where the cohort's calendar
    (from enrolment) gives no end for that step."""
    await gaps.set_step_end(uow, principal, file_id, body.step_ends_on)
