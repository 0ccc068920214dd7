"""Case notes at three confidentiality levels. A medical note's body is sealed with the person's key before it
reaches the database; reading it takes a stated reason, recorded with who and when in the read's own transaction
(no audit row, no answer). Notes are append-only: a correction is a new version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.envelope import Envelope
from support_service.adapters.notes import MedicalRead, StoredNote, StoredVersion
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.access import can_read_note, can_write_note, readable
from support_service.domain.actor import Actor
from support_service.domain.errors import AccessDenied, NotFound, ReadReasonRequired
from support_service.domain.notes import Note, ReadReason
from support_service.domain.vocabulary import Confidentiality
from support_service.service_layer import sealing
from support_service.service_layer.access import actor_of, file_and_supporters, readable_file

REASON_TEXT = "audit.reason"


def _note_kind(number: int) -> str:
    return f"note:{number}"


@dataclass(frozen=True)
class VersionView:
    number: int
    body: str
    written_at: datetime
    written_by: str
    written_by_org_id: UUID


@dataclass(frozen=True)
class NoteDetail:
    note: StoredNote
    versions: list[VersionView]


@dataclass(frozen=True)
class NoteSummary:
    """A note in a list: a medical note's body is never in a list, only behind a read with a reason."""

    note: StoredNote
    current: VersionView | None
    version_count: int


async def _stored_version(
    uow: SupportUnitOfWork,
    envelope: Envelope | None,
    note: StoredNote,
    number: int,
    body: str,
    actor: Actor,
    at: datetime,
) -> StoredVersion:
    if note.level is Confidentiality.MEDICAL:
        sealed = await sealing.seal(uow, envelope, note.beneficiary_id, _note_kind(number), note.id, body)
        return StoredVersion(note.id, number, None, sealed, at, actor.subject, actor.org_id)
    return StoredVersion(note.id, number, body, None, at, actor.subject, actor.org_id)


async def write(
    uow: SupportUnitOfWork,
    envelope: Envelope | None,
    principal: Principal,
    file_id: UUID,
    level: Confidentiality,
    body: str,
) -> StoredNote:
    actor = actor_of(principal)
    support_file, _ = await readable_file(uow, actor, file_id)
    now = datetime.now(UTC)
    # The domain checks who may write at this level and the body's shape.
    checked = Note.write(
        note_id=uuid.uuid4(),
        file_id=file_id,
        beneficiary_id=support_file.beneficiary_id,
        file_org_id=support_file.support_org_id,
        level=level,
        body=body,
        actor=actor,
        at=now,
    )
    stored = StoredNote(checked.id, file_id, checked.beneficiary_id, level, actor.org_id, now)
    await uow.notes.add(stored, await _stored_version(uow, envelope, stored, 1, checked.current.body, actor, now))
    uow.audit(principal, "write", "note", stored.id, reason=level.value)
    return stored


async def _readable_note(uow: SupportUnitOfWork, actor: Actor, note_id: UUID) -> tuple[StoredNote, frozenset[UUID]]:
    """A note the caller may not read is not found, whatever its level: a medical note's existence is not
    confirmed to anyone else."""
    note = await uow.notes.get(note_id)
    if note is None:
        raise NotFound("note", note_id)
    found = await file_and_supporters(uow, note.file_id)
    assert found is not None
    _, supporting = found
    if not can_read_note(actor, note, supporting):
        raise NotFound("note", note_id)
    return note, supporting


def _plain(version: StoredVersion, body: str | None = None) -> VersionView:
    text = body if body is not None else version.body
    assert text is not None
    return VersionView(version.number, text, version.written_at, version.written_by, version.written_by_org_id)


async def of_file(uow: SupportUnitOfWork, principal: Principal, file_id: UUID) -> list[NoteSummary]:
    actor = actor_of(principal)
    _, supporting = await readable_file(uow, actor, file_id)
    summaries = []
    for note in readable(actor, await uow.notes.of_file(file_id), supporting):
        versions = await uow.notes.versions(note.id)
        current = None if note.level is Confidentiality.MEDICAL else _plain(versions[-1])
        summaries.append(NoteSummary(note, current, len(versions)))
    uow.audit(principal, "list", "note", file_id)
    return summaries


async def get(uow: SupportUnitOfWork, principal: Principal, note_id: UUID) -> NoteDetail:
    """A standard or restricted note with its versions; a medical one only through `read_with_reason`."""
    note, _ = await _readable_note(uow, actor_of(principal), note_id)
    if note.level is Confidentiality.MEDICAL:
        raise ReadReasonRequired()
    uow.audit(principal, "read", "note", note_id)
    return NoteDetail(note, [_plain(v) for v in await uow.notes.versions(note_id)])


async def read_with_reason(
    uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, note_id: UUID, reason: ReadReason
) -> NoteDetail:
    actor = actor_of(principal)
    note, supporting = await _readable_note(uow, actor, note_id)
    now = datetime.now(UTC)
    domain_note = Note(note.id, note.file_id, note.beneficiary_id, note.level, note.author_org_id)
    audit = domain_note.authorise_read(actor, supporting, reason, now)
    versions = await uow.notes.versions(note_id)
    if audit is None:
        uow.audit(principal, "read", "note", note_id)
        return NoteDetail(note, [_plain(v) for v in versions])
    read_id = uuid.uuid4()
    # The person's key exists since their note was sealed with it: read and unwrapped once, for every version and
    # for the reason's text.
    key = await sealing.readable_key(uow, envelope, note.beneficiary_id)
    sealed_reason = key.seal(REASON_TEXT, read_id, reason.text) if reason.text else None
    opened = []
    for version in versions:
        assert version.body_sealed is not None
        body = sealing.open_sealed(key, _note_kind(version.number), note_id, version.body_sealed)
        opened.append(_plain(version, body))
    # Written in this request's transaction: if the audit cannot be stored, the answer is not sent either.
    await uow.notes.record_medical_read(
        MedicalRead(
            read_id,
            note_id,
            note.beneficiary_id,
            audit.reader,
            audit.reader_org_id,
            audit.at,
            reason.code.value,
            sealed_reason,
        )
    )
    uow.audit(principal, "read_medical", "note", note_id, reason=reason.code.value)
    return NoteDetail(note, opened)


async def correct(
    uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, note_id: UUID, body: str
) -> VersionView:
    actor = actor_of(principal)
    note, _ = await _readable_note(uow, actor, note_id)
    if not can_write_note(actor, note.level, note.author_org_id):
        raise AccessDenied(f"correct this {note.level} note")
    number = await uow.notes.version_count(note_id) + 1
    now = datetime.now(UTC)
    # The domain's checks on a body, through a note holding only the new version.
    checked = Note(note.id, note.file_id, note.beneficiary_id, note.level, note.author_org_id)
    checked.correct(body, actor, now)
    await uow.notes.add_version(note, await _stored_version(uow, envelope, note, number, body, actor, now))
    uow.audit(principal, "correct", "note", note_id, reason=note.level.value)
    return VersionView(number, body, now, actor.subject, actor.org_id)
