"""/v1/files/{id}/needs and /v1/needs: needs from the taxonomy, their transitions and actions. A medical need is
visible only to the medical role of the file's organisation; for anyone else it does not exist (404)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import SEALING, Keys, UoW
from support_service.api.schemas import ActionIn, ActionList, ActionOut, NeedIn, NeedList, NeedView
from support_service.service_layer import needs

router = service_router(tags=["needs"])


@router.post(
    "/v1/files/{file_id}/needs",
    status_code=status.HTTP_201_CREATED,
    response_model=NeedView,
    dependencies=[IDEMPOTENT],
    responses=SEALING,
)
async def identify_need(file_id: UUID, body: NeedIn, principal: Caller, uow: UoW, keys: Keys) -> NeedView:
    need = await needs.identify(uow, keys, principal, file_id, body.code, body.priority, body.due_on)
    return NeedView.of(need)


@router.get("/v1/files/{file_id}/needs", response_model=NeedList, responses=SEALING)
async def list_needs(file_id: UUID, principal: Caller, uow: UoW, keys: Keys) -> NeedList:
    return NeedList(items=[NeedView.of(n) for n in await needs.of_file(uow, keys, principal, file_id)])


@router.get("/v1/needs/{need_id}", response_model=NeedView, responses=SEALING)
async def get_need(need_id: UUID, principal: Caller, uow: UoW, keys: Keys) -> NeedView:
    return NeedView.of(await needs.get(uow, keys, principal, need_id))


@router.post(
    "/v1/needs/{need_id}/actions",
    status_code=status.HTTP_201_CREATED,
    response_model=ActionOut,
    dependencies=[IDEMPOTENT],
    responses=SEALING,
)
async def record_action(need_id: UUID, body: ActionIn, principal: Caller, uow: UoW, keys: Keys) -> ActionOut:
    view = await needs.record_action(
        uow,
        keys,
        principal,
        need_id,
        type_=body.type,
        on=body.on,
        duration_minutes=body.duration_minutes,
        partner=body.partner,
        follow_up_on=body.follow_up_on,
    )
    return ActionOut.of(view)


@router.get("/v1/needs/{need_id}/actions", response_model=ActionList, responses=SEALING)
async def list_actions(need_id: UUID, principal: Caller, uow: UoW, keys: Keys) -> ActionList:
    return ActionList(items=[ActionOut.of(a) for a in await needs.actions_of(uow, keys, principal, need_id)])


# Declared last: the fixed `/actions` path above must match before this one.
@router.post("/v1/needs/{need_id}/{action}", response_model=NeedView, responses=SEALING)
async def move_need(
    need_id: UUID, action: Literal["start", "resolve", "abandon"], principal: Caller, uow: UoW, keys: Keys
) -> NeedView:
    return NeedView.of(await needs.move(uow, keys, principal, need_id, action))
