"""/v1/housing-gaps and the step end a referent enters on a file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query, status
from pydantic import BaseModel, ConfigDict

from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, decode_cursor, encode_cursor
from hopekit.api.problems import Problem
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import UoW
from support_service.domain.gaps import GapKind, GapPosition, HousingGap
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


def _position(cursor: str | None) -> GapPosition | None:
    position = decode_cursor(cursor)
    if position is None:
        return None
    try:
        return GapPosition(date.fromisoformat(position["from"]), UUID(position["person"]), UUID(position["file"]))
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise Problem(400, "invalid-cursor", "The cursor is not one this API gave out.") from error


def _cursor(position: GapPosition) -> str:
    return encode_cursor(
        {
            "from": position.uncovered_from.isoformat(),
            "person": str(position.beneficiary_id),
            "file": str(position.file_id),
        }
    )


@router.get("/v1/housing-gaps", response_model=Page[GapOut])
async def housing_gaps(
    principal: Caller,
    uow: UoW,
    today: date | None = None,
    cohort_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[GapOut]:
    """People in step 3 or 4 without a bed for the coming week, or whose placement ends before their step ends,
    first uncovered night first; `cohort_id` keeps one cohort's people. A page at a time, as the other lists."""
    day = today or datetime.now(UTC).date()
    found = await gaps.gaps(uow, principal, day, cohort_id=cohort_id, after=_position(cursor), limit=limit + 1)
    more = len(found) > limit
    return Page[GapOut](
        items=[GapOut.of(listed.gap) for listed in found[:limit]],
        next_cursor=_cursor(found[limit - 1].position) if more else None,
    )


@router.put("/v1/files/{file_id}/step-end", status_code=status.HTTP_204_NO_CONTENT)
async def set_step_end(file_id: UUID, body: StepEndIn, principal: Caller, uow: UoW) -> None:
    """The end of the person's current step, by hand: the housing gaps use it only where the cohort's calendar
    (from enrolment) gives no end for that step."""
    await gaps.set_step_end(uow, principal, file_id, body.step_ends_on)
