"""/v1/files/{id}/notes and /v1/notes: notes at three levels. A medical note is read only with
`POST /v1/notes/{id}/reads` and a stated reason (a read that writes an audit row; the reason never lands in a URL
or an access log); a note the caller may not read is a 404, so its existence is never confirmed."""

from __future__ import annotations

from uuid import UUID

from fastapi import status

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.security import Caller
from hopekit.api.transaction import service_router
from support_service.api.dependencies import SEALING, Keys, UoW
from support_service.api.note_schemas import CorrectionIn, NoteDetailOut, NoteIn, NoteList, NoteOut, ReadIn, VersionOut
from support_service.domain.notes import ReadReason
from support_service.service_layer import notes
from support_service.service_layer.notes import NoteSummary

router = service_router(tags=["notes"])


@router.post(
    "/v1/files/{file_id}/notes",
    status_code=status.HTTP_201_CREATED,
    response_model=NoteOut,
    dependencies=[IDEMPOTENT],
    responses=SEALING,
)
async def write_note(file_id: UUID, body: NoteIn, principal: Caller, uow: UoW, keys: Keys) -> NoteOut:
    stored = await notes.write(uow, keys, principal, file_id, body.level, body.body)
    # The answer repeats no body: the writer has it, and a medical one stays out of every response but a read.
    return NoteOut.of(NoteSummary(stored, None, 1))


@router.get("/v1/files/{file_id}/notes", response_model=NoteList)
async def list_notes(file_id: UUID, principal: Caller, uow: UoW) -> NoteList:
    return NoteList(items=[NoteOut.of(s) for s in await notes.of_file(uow, principal, file_id)])


@router.get("/v1/notes/{note_id}", response_model=NoteDetailOut)
async def get_note(note_id: UUID, principal: Caller, uow: UoW) -> NoteDetailOut:
    """A standard or restricted note with every version; a medical one answers 422 `read-reason-required`."""
    return NoteDetailOut.of(await notes.get(uow, principal, note_id))


@router.post("/v1/notes/{note_id}/reads", response_model=NoteDetailOut, responses=SEALING)
async def read_note(note_id: UUID, body: ReadIn, principal: Caller, uow: UoW, keys: Keys) -> NoteDetailOut:
    reason = ReadReason(body.reason_code, body.reason_text)
    return NoteDetailOut.of(await notes.read_with_reason(uow, keys, principal, note_id, reason))


@router.post(
    "/v1/notes/{note_id}/versions",
    status_code=status.HTTP_201_CREATED,
    response_model=VersionOut,
    dependencies=[IDEMPOTENT],
    responses=SEALING,
)
async def correct_note(note_id: UUID, body: CorrectionIn, principal: Caller, uow: UoW, keys: Keys) -> VersionOut:
    """A correction is a new version; the earlier ones stay."""
    return VersionOut.of(await notes.correct(uow, keys, principal, note_id, body.body))
