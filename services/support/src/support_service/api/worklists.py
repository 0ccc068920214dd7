"""/v1/worklists: needs overdue and follow-ups due (this week by default), across the files the caller may read."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import Query

from hopekit.api.pagination import MAX_LIMIT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import SEALING, Keys, UoW
from support_service.api.schemas import ActionList, ActionOut, NeedList, NeedView
from support_service.service_layer import worklists

router = service_router(tags=["worklists"])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


@router.get("/v1/worklists/overdue-needs", response_model=NeedList, responses=SEALING)
async def overdue_needs(
    principal: Caller, uow: UoW, keys: Keys, today: date | None = None, limit: Limit = MAX_LIMIT
) -> NeedList:
    """Open needs past their due date, oldest due first (at most `limit`)."""
    day = today or datetime.now(UTC).date()
    return NeedList(items=[NeedView.of(n) for n in await worklists.overdue_needs(uow, keys, principal, day, limit)])


@router.get("/v1/worklists/follow-ups", response_model=ActionList, responses=SEALING)
async def follow_ups(
    principal: Caller, uow: UoW, keys: Keys, week_of: date | None = None, limit: Limit = MAX_LIMIT
) -> ActionList:
    """Follow-ups due in the week (Monday to Sunday) holding `week_of`, today's week by default."""
    day = week_of or datetime.now(UTC).date()
    monday = day - timedelta(days=day.weekday())
    found = await worklists.follow_ups(uow, keys, principal, monday, monday + timedelta(days=6), limit)
    return ActionList(items=[ActionOut.of(a) for a in found])
