"""/v1/employers (with establishments, pledges and the HR contact) and /v1/demand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query, Response, status

from employment_service.api.dependencies import UNKNOWN_CODE, UoW
from employment_service.api.schemas import (
    DemandView,
    EmployerIn,
    EmployerView,
    EstablishmentIn,
    EstablishmentView,
    HrContactIn,
    HrContactView,
    PledgeIn,
    PledgeView,
)
from employment_service.service_layer import employers
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import CURSOR_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["employers"])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Cursor = Annotated[str | None, Query(pattern=CURSOR_PATTERN)]
# Why a contact is read: a short code, kept in the audit row (e.g. "arrange_interview", "contract_signature").
Reason = Annotated[str, Query(min_length=3, max_length=60, pattern=r"^[a-z0-9_]+$")]


@router.post(
    "/v1/employers", status_code=status.HTTP_201_CREATED, response_model=EmployerView, dependencies=[IDEMPOTENT]
)
async def register_employer(body: EmployerIn, principal: Caller, uow: UoW) -> EmployerView:
    """The operator registers any employer; an employer organisation registers itself, once. 409 when the
    SIRET is known."""
    form = employers.Registration(
        siret=body.siret,
        name=body.name,
        naf_code=body.naf_code,
        akto_member=body.akto_member,
        sector_codes=body.sector_codes,
        hr_contact=body.hr_contact.domain() if body.hr_contact else None,
        org_id=body.org_id,
    )
    return EmployerView.of(await employers.register(uow, principal, form))


@router.get("/v1/employers", response_model=Page[EmployerView])
async def list_employers(
    principal: Caller, uow: UoW, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[EmployerView]:
    found = await employers.page(uow, principal, after_id(cursor), limit + 1)
    return page_of(found, limit, EmployerView.of)


@router.get("/v1/employers/{employer_id}", response_model=EmployerView)
async def get_employer(employer_id: UUID, principal: Caller, uow: UoW) -> EmployerView:
    return EmployerView.of(await employers.visible_employer(uow, principal, employer_id))


@router.post(
    "/v1/employers/{employer_id}/establishments",
    status_code=status.HTTP_201_CREATED,
    response_model=EstablishmentView,
    dependencies=[IDEMPOTENT],
)
async def add_establishment(employer_id: UUID, body: EstablishmentIn, principal: Caller, uow: UoW) -> EstablishmentView:
    return EstablishmentView.of(
        await employers.add_establishment(uow, principal, employer_id, body.commune_code, body.siret)
    )


@router.post(
    "/v1/employers/{employer_id}/pledges",
    status_code=status.HTTP_201_CREATED,
    response_model=PledgeView,
    dependencies=[IDEMPOTENT],
)
async def add_pledge(employer_id: UUID, body: PledgeIn, principal: Caller, uow: UoW) -> PledgeView:
    form = employers.PledgeForm(body.sector_code, body.region_code, body.places, body.starts_on, body.ends_on)
    return PledgeView.of(await employers.add_pledge(uow, principal, employer_id, form))


@router.get("/v1/employers/{employer_id}/hr-contact", response_model=HrContactView)
async def read_hr_contact(employer_id: UUID, reason: Reason, principal: Caller, uow: UoW) -> HrContactView:
    """Personal data: every read is audited with its reason."""
    return HrContactView.of(await employers.read_contact(uow, principal, employer_id, reason))


@router.put("/v1/employers/{employer_id}/hr-contact", response_model=HrContactView)
async def replace_hr_contact(employer_id: UUID, body: HrContactIn, principal: Caller, uow: UoW) -> HrContactView:
    return HrContactView.of(await employers.replace_contact(uow, principal, employer_id, body.domain()))


@router.delete("/v1/employers/{employer_id}/hr-contact", status_code=status.HTTP_204_NO_CONTENT)
async def erase_hr_contact(employer_id: UUID, principal: Caller, uow: UoW) -> Response:
    """Erasure: the contact is deleted, not blanked; a later read is 404."""
    await employers.erase_contact(uow, principal, employer_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/demand", response_model=list[DemandView], responses=UNKNOWN_CODE)
async def demand(
    principal: Caller,
    uow: UoW,
    sector_code: Annotated[str | None, Query(max_length=40)] = None,
    region_code: Annotated[str | None, Query(max_length=3)] = None,
    on: date | None = None,
) -> list[DemandView]:
    """Places pledged for the date (today by default) and open positions, per sector and region: aggregates
    only, readable by every organisation."""
    lines = await employers.demand(uow, principal, sector_code, region_code, on or datetime.now(UTC).date())
    return [DemandView.of(line) for line in lines]
