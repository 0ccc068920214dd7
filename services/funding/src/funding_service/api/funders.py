"""/v1/funders: the operator registers who pays; a funder-side reader sees its own."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Query, status
from pydantic import BaseModel, StringConstraints

from funding_service.api.dependencies import UoW
from funding_service.api.schemas import Strict
from funding_service.domain.funder import Funder
from funding_service.domain.vocabulary import FunderKind
from funding_service.service_layer import agreements
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, next_cursor
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router

router = service_router(tags=["funders"])


class FunderIn(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9_-]{1,31}$")]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: FunderKind
    org_id: UUID | None = None


class FunderOut(BaseModel):
    id: UUID
    code: str
    name: str
    kind: FunderKind
    org_id: UUID | None

    @classmethod
    def of(cls, funder: Funder) -> FunderOut:
        return cls(id=funder.funder_id, code=funder.code, name=funder.name, kind=funder.kind, org_id=funder.org_id)


@router.post("/v1/funders", status_code=status.HTTP_201_CREATED, response_model=FunderOut, dependencies=[IDEMPOTENT])
async def create_funder(body: FunderIn, principal: Caller, uow: UoW) -> FunderOut:
    """Registers a funder; its code is unique (409 otherwise). ``org_id``: the partner organisation whose readers
    see this funder's agreements, claims and money."""
    funder = Funder(uuid4(), body.code, body.name, body.kind, body.org_id)
    return FunderOut.of(await agreements.create_funder(uow, principal, funder))


@router.get("/v1/funders/{funder_id}", response_model=FunderOut)
async def get_funder(funder_id: UUID, principal: Caller, uow: UoW) -> FunderOut:
    return FunderOut.of(await agreements.get_funder(uow, principal, funder_id))


@router.get("/v1/funders", response_model=Page[FunderOut])
async def list_funders(
    principal: Caller,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[FunderOut]:
    found = await agreements.funders_page(uow, principal, after_id(cursor), limit + 1)
    page = [FunderOut.of(f) for f in found]
    return Page[FunderOut](items=page[:limit], next_cursor=next_cursor(page, limit))
