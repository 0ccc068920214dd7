"""Notes and their versions as stored: a medical version's body only as a ciphertext. Insert and select only
(append-only); erasure deletes a person's notes whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from support_service.adapters.tables import medical_reads, note_versions, notes
from support_service.domain.vocabulary import Confidentiality


@dataclass(frozen=True)
class StoredNote:
    id: UUID
    file_id: UUID
    beneficiary_id: UUID
    level: Confidentiality
    author_org_id: UUID
    created_at: datetime


@dataclass(frozen=True)
class StoredVersion:
    note_id: UUID
    number: int
    body: str | None
    body_sealed: bytes | None
    written_at: datetime
    written_by: str
    written_by_org_id: UUID


@dataclass(frozen=True)
class MedicalRead:
    id: UUID
    note_id: UUID
    beneficiary_id: UUID
    reader: str
    reader_org_id: UUID
    at: datetime
    reason_code: str
    reason_text_sealed: bytes | None


class NoteRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, note: StoredNote, first: StoredVersion) -> None:
        await self._connection.execute(
            insert(notes).values(
                id=note.id,
                file_id=note.file_id,
                beneficiary_id=note.beneficiary_id,
                level=note.level.value,
                author_org_id=note.author_org_id,
                created_at=note.created_at,
            )
        )
        await self.add_version(note, first)

    async def add_version(self, note: StoredNote, version: StoredVersion) -> None:
        await self._connection.execute(
            insert(note_versions).values(
                note_id=version.note_id,
                number=version.number,
                medical=note.level is Confidentiality.MEDICAL,
                body=version.body,
                body_sealed=version.body_sealed,
                written_at=version.written_at,
                written_by=version.written_by,
                written_by_org_id=version.written_by_org_id,
            )
        )

    async def get(self, note_id: UUID) -> StoredNote | None:
        row = (await self._connection.execute(select(notes).where(notes.c.id == note_id))).first()
        return _note(row._mapping) if row is not None else None

    async def of_file(self, file_id: UUID) -> list[StoredNote]:
        rows = await self._connection.execute(
            select(notes).where(notes.c.file_id == file_id).order_by(notes.c.created_at, notes.c.id)
        )
        return [_note(row._mapping) for row in rows]

    async def versions(self, note_id: UUID) -> list[StoredVersion]:
        rows = await self._connection.execute(
            select(note_versions).where(note_versions.c.note_id == note_id).order_by(note_versions.c.number)
        )
        return [
            StoredVersion(
                row.note_id,
                row.number,
                row.body,
                bytes(row.body_sealed) if row.body_sealed is not None else None,
                row.written_at,
                row.written_by,
                row.written_by_org_id,
            )
            for row in rows
        ]

    async def version_count(self, note_id: UUID) -> int:
        count = await self._connection.scalar(select(func.count()).where(note_versions.c.note_id == note_id))
        return int(count or 0)

    async def record_medical_read(self, read: MedicalRead) -> None:
        await self._connection.execute(
            insert(medical_reads).values(
                id=read.id,
                note_id=read.note_id,
                beneficiary_id=read.beneficiary_id,
                reader=read.reader,
                reader_org_id=read.reader_org_id,
                at=read.at,
                reason_code=read.reason_code,
                reason_text_sealed=read.reason_text_sealed,
            )
        )

    async def delete_of(self, beneficiary_id: UUID) -> int:
        ids = select(notes.c.id).where(notes.c.beneficiary_id == beneficiary_id)
        await self._connection.execute(delete(note_versions).where(note_versions.c.note_id.in_(ids)))
        result = await self._connection.execute(delete(notes).where(notes.c.beneficiary_id == beneficiary_id))
        return int(result.rowcount or 0)


def _note(m: RowMapping) -> StoredNote:
    return StoredNote(
        m["id"], m["file_id"], m["beneficiary_id"], Confidentiality(m["level"]), m["author_org_id"], m["created_at"]
    )
