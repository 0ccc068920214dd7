"""/v1/outcomes and /v1/follow-ups."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from employment_service.api.dependencies import RULE_NOT_MET, UNKNOWN_CODE, UoW
from employment_service.api.employers import Cursor, Limit
from employment_service.api.schemas import (
    AwaitingOutcomeView,
    FollowUpCount,
    FollowUpDoneIn,
    FollowUpLineView,
    FollowUpView,
    OutcomeIn,
    OutcomeView,
)
from employment_service.service_layer import follow_ups, outcomes
from employment_service.service_layer.follow_ups import FollowUpLine
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, Page, after_id, page_by, read_cursor
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["outcomes"])


def _form(body: OutcomeIn | FollowUpDoneIn) -> outcomes.ObservationForm:
    return outcomes.ObservationForm(body.outcome_code, body.evidence_source, body.employer_id, body.weekly_hours)


@router.post("/v1/outcomes", status_code=status.HTTP_201_CREATED, response_model=OutcomeView, dependencies=[IDEMPOTENT])
async def record_outcome(body: OutcomeIn, principal: Caller, uow: UoW) -> OutcomeView:
    """Once per person (409 after); answers with the 3-, 6- and 12-month follow-ups it scheduled."""
    outcome, schedule = await outcomes.record(uow, principal, body.beneficiary_id, body.exit_on, _form(body))
    return OutcomeView.of(outcome, schedule)


@router.get("/v1/outcomes/pending", response_model=Page[AwaitingOutcomeView])
async def outcomes_pending(
    principal: Caller,
    uow: UoW,
    withdrawal_reason: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9_]+$")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[AwaitingOutcomeView]:
    """People who left the path, or are in step 4, with no exit outcome yet (by id; `withdrawal_reason=
    employment_found` gives those who left for a job)."""
    found = await outcomes.awaiting(uow, principal, withdrawal_reason, after_id(cursor), limit + 1)
    return page_by(found, limit, AwaitingOutcomeView.of, lambda path: {"after": str(path.beneficiary_id)})


@router.get("/v1/outcomes/{beneficiary_id}", response_model=OutcomeView)
async def get_outcome(beneficiary_id: UUID, principal: Caller, uow: UoW) -> OutcomeView:
    return OutcomeView.of(*await outcomes.get(uow, principal, beneficiary_id))


# The follow-ups are listed by due date, then id.
def _position(line: FollowUpLine) -> dict[str, str]:
    return {"due_on": line.due_on.isoformat(), "id": str(line.id)}


def _after(cursor: str | None) -> tuple[date, UUID] | None:
    return read_cursor(cursor, lambda position: (date.fromisoformat(position["due_on"]), UUID(position["id"])))


@router.get("/v1/follow-ups", response_model=Page[FollowUpLineView], responses=UNKNOWN_CODE)
async def list_follow_ups(
    principal: Caller,
    uow: UoW,
    status: Annotated[str | None, Query(max_length=16)] = None,
    overdue: bool = False,
    due_before: date | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[FollowUpLineView]:
    """The caller's follow-ups by due date: the operator all, a support provider its people's, France Travail
    those of people who consented. `overdue=true` keeps those still due before today."""
    found = await follow_ups.page(uow, principal, status, overdue, due_before, _after(cursor), limit + 1)
    return page_by(
        found, limit, FollowUpLineView.of, lambda line: {"due_on": line.due_on.isoformat(), "id": str(line.id)}
    )


@router.get("/v1/follow-ups/summary", response_model=list[FollowUpCount])
async def follow_up_summary(principal: Caller, uow: UoW) -> list[FollowUpCount]:
    """Counts per months after exit and status, with the overdue: the unreachable are counted, never dropped."""
    return [FollowUpCount(**line) for line in await follow_ups.summary(uow, principal)]


@router.get("/v1/follow-ups/{follow_up_id}", response_model=FollowUpView)
async def get_follow_up(follow_up_id: UUID, principal: Caller, uow: UoW) -> FollowUpView:
    return FollowUpView.of(await follow_ups.get(uow, principal, follow_up_id))


@router.post("/v1/follow-ups/{follow_up_id}/attempts", status_code=status.HTTP_201_CREATED, response_model=FollowUpView)
async def record_attempt(follow_up_id: UUID, principal: Caller, uow: UoW) -> FollowUpView:
    """A failed contact attempt; after enough of them the person may be marked unreachable."""
    return FollowUpView.of(await follow_ups.attempt(uow, principal, follow_up_id))


@router.post("/v1/follow-ups/{follow_up_id}/complete", response_model=FollowUpView)
async def complete_follow_up(follow_up_id: UUID, body: FollowUpDoneIn, principal: Caller, uow: UoW) -> FollowUpView:
    return FollowUpView.of(await follow_ups.complete(uow, principal, follow_up_id, body.observed_on, _form(body)))


@router.post("/v1/follow-ups/{follow_up_id}/unreachable", response_model=FollowUpView, responses=RULE_NOT_MET)
async def mark_unreachable(follow_up_id: UUID, principal: Caller, uow: UoW) -> FollowUpView:
    return FollowUpView.of(await follow_ups.unreachable(uow, principal, follow_up_id))
