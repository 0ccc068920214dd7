"""/v1/cohorts: groups that go through steps 3 and 4 together."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, status

from enrolment_service.api.dependencies import UoW
from enrolment_service.api.schemas import CalendarRequest, CohortRequest, CohortView, MemberRequest
from enrolment_service.service_layer import cohorts
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.security import READ_ROLES, Caller, requires
from hopekit.api.transaction import service_router
from hopekit.identity.principal import Principal

router = service_router(prefix="/v1/cohorts", tags=["cohorts"])

Reader = Annotated[Principal, Depends(requires(*READ_ROLES))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CohortView, dependencies=[IDEMPOTENT])
async def create_cohort(body: CohortRequest, principal: Caller, uow: UoW) -> CohortView:
    cohort = await cohorts.create(
        uow,
        principal,
        name=body.name,
        sector_code=body.sector_code,
        region=body.region,
        track=body.track,
        training_provider_org_id=body.training_provider_org_id,
        support_provider_org_id=body.support_provider_org_id,
        capacity=body.capacity,
        calendar=body.dates(),
    )
    return CohortView.of(cohort)


@router.get("", response_model=Page[CohortView])
async def list_cohorts(
    principal: Reader,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[CohortView]:
    after = after_id(cursor)
    found = await cohorts.search(uow, principal, after, limit + 1)
    return page_of(found, limit, CohortView.of)


@router.get("/{cohort_id}", response_model=CohortView)
async def read_cohort(cohort_id: UUID, principal: Caller, uow: UoW) -> CohortView:
    cohort = await cohorts.read(uow, principal, cohort_id)
    return CohortView.of(cohort)


@router.put("/{cohort_id}/calendar", response_model=CohortView)
async def change_calendar(cohort_id: UUID, body: CalendarRequest, principal: Caller, uow: UoW) -> CohortView:
    """The programme operator replaces the cohort's calendar (a step left out is no longer planned). Sending the
    same calendar again changes nothing; a change is published whole as ``cohort.calendar_changed``. Step 4 never
    starts before the calendar's step-4 start."""
    cohort = await cohorts.change_calendar(uow, principal, cohort_id, body.dates())
    return CohortView.of(cohort)


@router.post("/{cohort_id}/members", response_model=CohortView)
async def add_member(cohort_id: UUID, body: MemberRequest, principal: Caller, uow: UoW) -> CohortView:
    """Refused beyond capacity, or for a person not yet past step 2's requirements, with the reason. The person
    joins on ``joined_on`` (default: today, or the cohort's first day when they are added before it starts);
    adding them again changes nothing, and with another ``joined_on`` is 409."""
    cohort = await cohorts.add_member(uow, principal, cohort_id, body.beneficiary_id, body.joined_on)
    return CohortView.of(cohort)
