"""/v1/beneficiaries: registration, reads, consent and erasure."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from enrolment_service.adapters.beneficiaries import BeneficiaryFilter
from enrolment_service.api.dependencies import UoW
from enrolment_service.api.schemas import BeneficiaryView, ConsentRequest, ConsentView, Registration
from enrolment_service.domain.vocabulary import PathwayStatus, Step
from enrolment_service.service_layer import beneficiaries
from enrolment_service.service_layer.access import View
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(prefix="/v1/beneficiaries", tags=["beneficiaries"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BeneficiaryView, dependencies=[IDEMPOTENT])
async def register(body: Registration, principal: Caller, uow: UoW) -> BeneficiaryView:
    """Register a person. The same OFII number, or the same names and birth date, is answered 409."""
    beneficiary = await beneficiaries.register(uow, principal, body.identity(), body.track)
    return BeneficiaryView.of(beneficiary, View.FULL)


@router.get("", response_model=Page[BeneficiaryView])
async def list_beneficiaries(
    principal: Caller,
    uow: UoW,
    cohort_id: UUID | None = None,
    step: Annotated[int | None, Query(ge=1, le=4)] = None,
    status_: Annotated[PathwayStatus | None, Query(alias="status")] = None,
    registered_by_org_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[BeneficiaryView]:
    criteria = BeneficiaryFilter(
        cohort_id=cohort_id,
        status=status_,
        # A person on hold is still in their step for the programme's lists.
        step_status=Step(step).status if step is not None else None,
        registered_by_org_id=registered_by_org_id,
        after_id=after_id(cursor),
    )
    found, view = await beneficiaries.search(uow, principal, criteria, limit)
    return page_of(found, limit, lambda beneficiary: BeneficiaryView.of(beneficiary, view))


@router.get("/{beneficiary_id}", response_model=BeneficiaryView)
async def read_beneficiary(beneficiary_id: UUID, principal: Caller, uow: UoW) -> BeneficiaryView:
    beneficiary, view = await beneficiaries.read(uow, principal, beneficiary_id)
    return BeneficiaryView.of(beneficiary, view)


@router.post(
    "/{beneficiary_id}/consents",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsentView,
    dependencies=[IDEMPOTENT],
)
async def record_consent(beneficiary_id: UUID, body: ConsentRequest, principal: Caller, uow: UoW) -> ConsentView:
    """Record a consent given or withdrawn; every record is kept, the latest for a purpose is in force. A retry with
    the same Idempotency-Key gets the first answer and records nothing more (it cannot re-give a consent withdrawn
    since)."""
    record = await beneficiaries.record_consent(uow, principal, beneficiary_id, body.purpose, body.given)
    return ConsentView.of(record)


@router.post("/{beneficiary_id}/erasure", response_model=BeneficiaryView)
async def erase(beneficiary_id: UUID, principal: Caller, uow: UoW) -> BeneficiaryView:
    """Delete the person's identity; the pseudonymous path stays, and every service is told to erase."""
    beneficiary = await beneficiaries.erase(uow, principal, beneficiary_id)
    return BeneficiaryView.of(beneficiary, View.FULL)
