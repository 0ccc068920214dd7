"""/v1/examples: create one (idempotent), read one, list them page by page. The kit commits the request's unit
of work when an endpoint returns, and rolls it back on any error."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, next_cursor
from hopekit.api.security import WRITE_ROLES, Caller, requires
from hopekit.api.transaction import service_router
from hopekit.identity.principal import Principal
from reporting_service.api.dependencies import UoW
from reporting_service.api.schemas import ExampleIn, ExampleView
from reporting_service.service_layer import examples

router = service_router(tags=["examples"])

Writer = Annotated[Principal, Depends(requires(*WRITE_ROLES))]


@router.post("/v1/examples", status_code=status.HTTP_201_CREATED, response_model=ExampleView, dependencies=[IDEMPOTENT])
async def create_example(body: ExampleIn, principal: Writer, uow: UoW) -> ExampleView:
    """Creates an example; its code is unique (409 otherwise). A retry with the same Idempotency-Key gets the
    first answer."""
    return ExampleView.of(await examples.create(uow, principal, body.code, body.label))


@router.get("/v1/examples/{example_id}", response_model=ExampleView)
async def get_example(example_id: UUID, principal: Caller, uow: UoW) -> ExampleView:
    return ExampleView.of(await examples.get(uow, example_id))


@router.get("/v1/examples", response_model=Page[ExampleView])
async def list_examples(
    principal: Caller,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[ExampleView]:
    found = await examples.page(uow, after_id(cursor), limit + 1)
    return Page[ExampleView](items=[ExampleView.of(e) for e in found[:limit]], next_cursor=next_cursor(found, limit))
