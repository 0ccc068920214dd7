"""/v1/contracts (work-study, step 4) and /v1/placements (immersions, step 3)."""

from __future__ import annotations

from uuid import UUID

from fastapi import status

from employment_service.api.dependencies import UoW
from employment_service.api.employers import Cursor, Limit
from employment_service.api.schemas import BreakIn, ContractIn, ContractView, DateIn, PlacementIn, PlacementView
from employment_service.service_layer import contracts, placements
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, Page, after_id, page_of
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["contracts"])


@router.post(
    "/v1/contracts", status_code=status.HTTP_201_CREATED, response_model=ContractView, dependencies=[IDEMPOTENT]
)
async def sign_contract(body: ContractIn, principal: Caller, uow: UoW) -> ContractView:
    """409 `active_contract_exists` while the person has a signed or active contract, concurrent requests
    included."""
    return ContractView.of(await contracts.sign(uow, principal, contracts.ContractForm(**body.model_dump())))


@router.get("/v1/contracts", response_model=Page[ContractView])
async def list_contracts(
    principal: Caller, uow: UoW, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[ContractView]:
    found = await contracts.page(uow, principal, after_id(cursor), limit + 1)
    return page_of(found, limit, ContractView.of)


@router.get("/v1/contracts/{contract_id}", response_model=ContractView)
async def get_contract(contract_id: UUID, principal: Caller, uow: UoW) -> ContractView:
    return ContractView.of(await contracts.get(uow, principal, contract_id))


@router.post("/v1/contracts/{contract_id}/start", response_model=ContractView)
async def start_contract(contract_id: UUID, body: DateIn, principal: Caller, uow: UoW) -> ContractView:
    return ContractView.of(await contracts.start(uow, principal, contract_id, body.on))


@router.post("/v1/contracts/{contract_id}/complete", response_model=ContractView)
async def complete_contract(contract_id: UUID, body: DateIn, principal: Caller, uow: UoW) -> ContractView:
    return ContractView.of(await contracts.complete(uow, principal, contract_id, body.on))


@router.post("/v1/contracts/{contract_id}/break", response_model=ContractView)
async def break_contract(contract_id: UUID, body: BreakIn, principal: Caller, uow: UoW) -> ContractView:
    return ContractView.of(await contracts.break_off(uow, principal, contract_id, body.on, body.broken_by, body.reason))


@router.post(
    "/v1/placements", status_code=status.HTTP_201_CREATED, response_model=PlacementView, dependencies=[IDEMPOTENT]
)
async def make_placement(body: PlacementIn, principal: Caller, uow: UoW) -> PlacementView:
    """422 `immersion_cap_exceeded` past a third of step 3's planned hours (cap, already and asked hours in the
    problem)."""
    return PlacementView.of(await placements.make(uow, principal, placements.PlacementForm(**body.model_dump())))


@router.get("/v1/people/{beneficiary_id}/placements", response_model=list[PlacementView])
async def placements_of_person(beneficiary_id: UUID, principal: Caller, uow: UoW) -> list[PlacementView]:
    return [PlacementView.of(p) for p in await placements.of_person(uow, principal, beneficiary_id)]
