"""/v1/residences and /v1/placements: beds given for nights [starts_on, ends_on); a bed shared on one night is a
409 `bed-taken`, even between two concurrent requests."""

from __future__ import annotations

from uuid import UUID

from fastapi import status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import UoW
from support_service.api.housing_schemas import PlacementIn, PlacementOut, ReleaseIn, ResidenceIn, ResidenceOut
from support_service.domain.nights import Nights
from support_service.service_layer import housing

router = service_router(tags=["housing"])


@router.post(
    "/v1/residences", status_code=status.HTTP_201_CREATED, response_model=ResidenceOut, dependencies=[IDEMPOTENT]
)
async def create_residence(body: ResidenceIn, principal: Caller, uow: UoW) -> ResidenceOut:
    residence, beds = await housing.create_residence(
        uow,
        principal,
        label=body.label,
        commune_code=body.commune_code,
        department_code=body.department_code,
        open_periods=[Nights(p.starts_on, p.ends_on) for p in body.open_periods],
        rooms=[(r.room, r.beds) for r in body.rooms],
    )
    return ResidenceOut.of(residence, body.label, beds)


@router.get("/v1/residences/{residence_id}", response_model=ResidenceOut)
async def get_residence(residence_id: UUID, principal: Caller, uow: UoW) -> ResidenceOut:
    residence, label, beds = await housing.get_residence(uow, principal, residence_id)
    return ResidenceOut.of(residence, label, beds)


@router.post(
    "/v1/placements", status_code=status.HTTP_201_CREATED, response_model=PlacementOut, dependencies=[IDEMPOTENT]
)
async def assign(body: PlacementIn, principal: Caller, uow: UoW) -> PlacementOut:
    placement = await housing.assign(
        uow,
        principal,
        beneficiary_id=body.beneficiary_id,
        bed_id=body.bed_id,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    return PlacementOut.of(placement)


@router.post("/v1/placements/{placement_id}/release", response_model=PlacementOut)
async def release(placement_id: UUID, body: ReleaseIn, principal: Caller, uow: UoW) -> PlacementOut:
    return PlacementOut.of(await housing.release(uow, principal, placement_id, body.on))
