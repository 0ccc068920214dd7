"""Case notes at three confidentiality levels; append-only versions; audited medical reads."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from support_service.domain.access import can_read_note, can_write_note
from support_service.domain.actor import Actor
from support_service.domain.errors import AccessDenied, InvalidValue, ReadReasonRequired
from support_service.domain.instants import as_utc
from support_service.domain.vocabulary import Confidentiality

MAX_BODY_LENGTH = 20_000
MAX_REASON_TEXT_LENGTH = 500


class ReadReasonCode(StrEnum):
    CARE_COORDINATION = "care_coordination"
    FOLLOW_UP = "follow_up"
    EMERGENCY = "emergency"
    PERSON_REQUEST = "person_request"
    LEGAL_OBLIGATION = "legal_obligation"


@dataclass(frozen=True)
class ReadReason:
    code: ReadReasonCode
    text: str | None = None

    def __post_init__(self) -> None:
        if self.text is not None and len(self.text) > MAX_REASON_TEXT_LENGTH:
            raise InvalidValue("reason.text", f"must be at most {MAX_REASON_TEXT_LENGTH} characters")


@dataclass(frozen=True)
class NoteVersion:
    number: int
    body: str
    written_at: datetime
    written_by: str
    written_by_org_id: UUID


@dataclass(frozen=True)
class MedicalReadAudit:
    """What the audit log keeps of one medical read: who, when, which note and why."""

    note_id: UUID
    beneficiary_id: UUID
    reader: str
    reader_org_id: UUID
    at: datetime
    reason: ReadReason


@dataclass
class Note:
    id: UUID
    file_id: UUID
    beneficiary_id: UUID
    level: Confidentiality
    author_org_id: UUID
    versions: list[NoteVersion] = field(default_factory=list)

    @classmethod
    def write(
        cls,
        *,
        note_id: UUID,
        file_id: UUID,
        beneficiary_id: UUID,
        file_org_id: UUID,
        level: Confidentiality,
        body: str,
        actor: Actor,
        at: datetime,
    ) -> "Note":
        if not can_write_note(actor, level, file_org_id):
            raise AccessDenied(f"write a {level} note on this file")
        note = cls(note_id, file_id, beneficiary_id, level, actor.org_id)
        note.versions.append(NoteVersion(1, _body(body), as_utc(at), actor.subject, actor.org_id))
        return note

    @property
    def current(self) -> NoteVersion:
        return self.versions[-1]

    def correct(self, body: str, actor: Actor, at: datetime) -> NoteVersion:
        """A correction is a new version; the earlier ones stay, unchanged. Only the writing organisation corrects."""
        if not can_write_note(actor, self.level, self.author_org_id):
            raise AccessDenied(f"correct this {self.level} note")
        version = NoteVersion(len(self.versions) + 1, _body(body), as_utc(at), actor.subject, actor.org_id)
        self.versions.append(version)
        return version

    def authorise_read(
        self, actor: Actor, supporting_org_ids: frozenset[UUID], reason: ReadReason | None, at: datetime
    ) -> MedicalReadAudit | None:
        """Checks a read; a medical read needs a reason and returns the audit row to write with it."""
        if not can_read_note(actor, self, supporting_org_ids):
            raise AccessDenied("read this note")
        if self.level is not Confidentiality.MEDICAL:
            return None
        if reason is None:
            raise ReadReasonRequired()
        return MedicalReadAudit(self.id, self.beneficiary_id, actor.subject, actor.org_id, as_utc(at), reason)


def _body(body: str) -> str:
    if not body.strip():
        raise InvalidValue("body", "must not be blank")
    if len(body) > MAX_BODY_LENGTH:
        raise InvalidValue("body", f"must be at most {MAX_BODY_LENGTH} characters")
    return body
