"""/v1/money/...: one view of the money (committed, consumed, claimed, approved, paid, released, available)
per person, cohort, agreement and funder."""

from __future__ import annotations

from uuid import UUID

from funding_service.api.dependencies import UoW
from funding_service.api.schemas import MoneyViewOut
from funding_service.service_layer import money
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["money"])


@router.get("/v1/money/people/{beneficiary_id}", response_model=MoneyViewOut)
async def of_person(beneficiary_id: UUID, principal: Caller, uow: UoW) -> MoneyViewOut:
    return MoneyViewOut.of(await money.of_person(uow, principal, beneficiary_id))


@router.get("/v1/money/cohorts/{cohort_id}", response_model=MoneyViewOut)
async def of_cohort(cohort_id: UUID, principal: Caller, uow: UoW) -> MoneyViewOut:
    return MoneyViewOut.of(await money.of_cohort(uow, principal, cohort_id))


@router.get("/v1/money/agreements/{agreement_id}", response_model=MoneyViewOut)
async def of_agreement(agreement_id: UUID, principal: Caller, uow: UoW) -> MoneyViewOut:
    return MoneyViewOut.of(await money.of_agreement(uow, principal, agreement_id))


@router.get("/v1/money/funders/{funder_id}", response_model=MoneyViewOut)
async def of_funder(funder_id: UUID, principal: Caller, uow: UoW) -> MoneyViewOut:
    return MoneyViewOut.of(await money.of_funder(uow, principal, funder_id))
