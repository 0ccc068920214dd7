"""/v1/files: support files, opened by hand (enrolment's events open most of them), read, put on hold, resumed,
closed, given a referent. Object-level checks in the service layer: a file the caller may not read is a 404."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import UoW
from support_service.api.schemas import CloseIn, FileDetailView, FileIn, FileView, ReferentIn
from support_service.domain.vocabulary import FileStatus
from support_service.service_layer import files

router = service_router(tags=["files"])


@router.post("/v1/files", status_code=status.HTTP_201_CREATED, response_model=FileView, dependencies=[IDEMPOTENT])
async def open_file(body: FileIn, principal: Caller, uow: UoW) -> FileView:
    """Opens a file by hand: a writer of the support provider of the person's cohort (or of a person without one).
    409 when that organisation already holds an open file for the person."""
    return FileView.of(await files.open_by_hand(uow, principal, body.beneficiary_id, body.cohort_id))


@router.get("/v1/files", response_model=Page[FileView])
async def list_files(
    principal: Caller,
    uow: UoW,
    beneficiary_id: UUID | None = None,
    status_: Annotated[FileStatus | None, Query(alias="status")] = None,
    referent: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[FileView]:
    """A support provider's own files (`referent=` for "my files"), or every file for the operator."""
    found = await files.search(
        uow,
        principal,
        beneficiary_id=beneficiary_id,
        status=status_,
        referent=referent,
        after=after_id(cursor),
        limit=limit + 1,
    )
    return page_of(found, limit, FileView.of)


@router.get("/v1/files/{file_id}", response_model=FileDetailView)
async def get_file(file_id: UUID, principal: Caller, uow: UoW) -> FileDetailView:
    return FileDetailView.of_detail(await files.get(uow, principal, file_id))


@router.post("/v1/files/{file_id}/hold", response_model=FileView)
async def hold(file_id: UUID, principal: Caller, uow: UoW) -> FileView:
    return FileView.of(await files.hold(uow, principal, file_id))


@router.post("/v1/files/{file_id}/resume", response_model=FileView)
async def resume(file_id: UUID, principal: Caller, uow: UoW) -> FileView:
    return FileView.of(await files.resume(uow, principal, file_id))


@router.post("/v1/files/{file_id}/close", response_model=FileView)
async def close(file_id: UUID, body: CloseIn, principal: Caller, uow: UoW) -> FileView:
    return FileView.of(await files.close(uow, principal, file_id, body.end_reason))


@router.put("/v1/files/{file_id}/referent", response_model=FileView)
async def assign_referent(file_id: UUID, body: ReferentIn, principal: Caller, uow: UoW) -> FileView:
    return FileView.of(await files.assign_referent(uow, principal, file_id, body.referent))
