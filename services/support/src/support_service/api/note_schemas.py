"""Request and response bodies of notes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from support_service.domain.notes import MAX_BODY_LENGTH, MAX_REASON_TEXT_LENGTH, ReadReasonCode
from support_service.domain.vocabulary import Confidentiality
from support_service.service_layer.notes import NoteDetail, NoteSummary, VersionView

Body = Annotated[str, StringConstraints(min_length=1, max_length=MAX_BODY_LENGTH)]


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Confidentiality
    body: Body


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Body


class ReadIn(BaseModel):
    """Why a medical note is read: written to the audit log with who and when (the text sealed)."""

    model_config = ConfigDict(extra="forbid")

    reason_code: ReadReasonCode
    reason_text: Annotated[str, StringConstraints(max_length=MAX_REASON_TEXT_LENGTH)] | None = None


class VersionOut(BaseModel):
    number: int
    body: str
    written_at: datetime
    written_by: str
    written_by_org_id: UUID

    @classmethod
    def of(cls, v: VersionView) -> VersionOut:
        return cls(
            number=v.number,
            body=v.body,
            written_at=v.written_at,
            written_by=v.written_by,
            written_by_org_id=v.written_by_org_id,
        )


class NoteOut(BaseModel):
    id: UUID
    file_id: UUID
    level: Confidentiality
    author_org_id: UUID
    created_at: datetime
    version_count: int
    current: VersionOut | None = Field(description="Absent for a medical note: read it with a stated reason.")

    @classmethod
    def of(cls, s: NoteSummary) -> NoteOut:
        n = s.note
        current = VersionOut.of(s.current) if s.current is not None else None
        return cls(
            id=n.id,
            file_id=n.file_id,
            level=n.level,
            author_org_id=n.author_org_id,
            created_at=n.created_at,
            version_count=s.version_count,
            current=current,
        )


class NoteList(BaseModel):
    items: list[NoteOut]


class NoteDetailOut(BaseModel):
    id: UUID
    file_id: UUID
    level: Confidentiality
    author_org_id: UUID
    created_at: datetime
    versions: list[VersionOut]

    @classmethod
    def of(cls, d: NoteDetail) -> NoteDetailOut:
        n = d.note
        return cls(
            id=n.id,
            file_id=n.file_id,
            level=n.level,
            author_org_id=n.author_org_id,
            created_at=n.created_at,
            versions=[VersionOut.of(v) for v in d.versions],
        )
