"""/v1/alerts: absence alerts across the caller's courses, and their resolution."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from training_service.adapters.alerts import AlertFilter
from training_service.api.dependencies import UoW
from training_service.api.schemas import AlertView
from training_service.domain.vocabulary import AlertStatus
from training_service.service_layer import alerts

router = service_router(tags=["alerts"])


@router.get("/v1/alerts", response_model=Page[AlertView])
async def list_alerts(
    principal: Caller,
    uow: UoW,
    course_id: UUID | None = None,
    beneficiary_id: UUID | None = None,
    status_: Annotated[AlertStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[AlertView]:
    """The alerts of the courses the caller may see (a provider its own, the operator all), oldest id first."""
    after = after_id(cursor)
    criteria = AlertFilter(course_id=course_id, beneficiary_id=beneficiary_id, status=status_, after_id=after)
    found = await alerts.search(uow, principal, criteria, limit + 1)
    return page_of(found, limit, AlertView.of)


@router.post("/v1/alerts/{alert_id}/resolution", response_model=AlertView, dependencies=[IDEMPOTENT])
async def resolve_alert(alert_id: UUID, principal: Caller, uow: UoW) -> AlertView:
    """Resolves an open alert; resolving it again is refused (409), unless it is a retry with the same key."""
    view = AlertView.of(await alerts.resolve(uow, principal, alert_id))
    return view
