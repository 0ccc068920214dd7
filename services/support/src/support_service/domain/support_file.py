"""A support file: one person's support episode with one support organisation, every change kept."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from uuid import UUID

from support_service.domain.actor import Actor
from support_service.domain.errors import IllegalTransition
from support_service.domain.events import SupportFileClosed, SupportFileOpened
from support_service.domain.instants import as_utc, checked_code
from support_service.domain.vocabulary import EndReason, FileStatus

_NEXT: Mapping[str, tuple[frozenset[FileStatus], FileStatus]] = MappingProxyType(
    {
        "put_on_hold": (frozenset({FileStatus.ACTIVE}), FileStatus.ON_HOLD),
        "resume": (frozenset({FileStatus.ON_HOLD}), FileStatus.ACTIVE),
        "close": (frozenset({FileStatus.ACTIVE, FileStatus.ON_HOLD}), FileStatus.CLOSED),
    }
)


@dataclass(frozen=True)
class FileChange:
    """One change: a status change, or a referent assignment (status unchanged). `from_status` None = opening."""

    from_status: FileStatus | None
    to_status: FileStatus
    at: datetime
    actor: str
    actor_org_id: UUID
    end_reason: EndReason | None = None
    referent: str | None = None


@dataclass
class SupportFile:
    id: UUID
    beneficiary_id: UUID
    support_org_id: UUID
    cohort_id: UUID | None
    status: FileStatus
    opened_at: datetime
    referent: str | None = None  # an opaque staff reference of the support organisation, never a name
    end_reason: EndReason | None = None
    history: list[FileChange] = field(default_factory=list)

    @classmethod
    def open(
        cls,
        *,
        file_id: UUID,
        beneficiary_id: UUID,
        support_org_id: UUID,
        cohort_id: UUID | None,
        actor: Actor,
        at: datetime,
    ) -> tuple["SupportFile", SupportFileOpened]:
        at = as_utc(at)
        support_file = cls(file_id, beneficiary_id, support_org_id, cohort_id, FileStatus.ACTIVE, at)
        support_file.history.append(FileChange(None, FileStatus.ACTIVE, at, actor.subject, actor.org_id))
        opened = SupportFileOpened(
            file_id=file_id,
            beneficiary_id=beneficiary_id,
            support_org_id=support_org_id,
            cohort_id=cohort_id,
            occurred_at=at,
        )
        return support_file, opened

    @property
    def is_closed(self) -> bool:
        return self.status is FileStatus.CLOSED

    def allowed_actions(self) -> tuple[str, ...]:
        return tuple(action for action, (sources, _) in _NEXT.items() if self.status in sources)

    def put_on_hold(self, actor: Actor, at: datetime) -> None:
        self._move("put_on_hold", actor, at)

    def resume(self, actor: Actor, at: datetime) -> None:
        self._move("resume", actor, at)

    def close(self, reason: EndReason, actor: Actor, at: datetime) -> SupportFileClosed:
        at = self._move("close", actor, at, end_reason=reason)
        self.end_reason = reason
        return SupportFileClosed(
            file_id=self.id,
            beneficiary_id=self.beneficiary_id,
            support_org_id=self.support_org_id,
            end_reason=reason,
            occurred_at=at,
        )

    def assign_referent(self, staff_reference: str, actor: Actor, at: datetime) -> None:
        if self.is_closed:
            raise IllegalTransition("support file", self.status, "assign_referent", self.allowed_actions())
        self.referent = checked_code("referent", staff_reference)
        self.history.append(
            FileChange(self.status, self.status, as_utc(at), actor.subject, actor.org_id, referent=self.referent)
        )

    def _move(self, action: str, actor: Actor, at: datetime, end_reason: EndReason | None = None) -> datetime:
        sources, target = _NEXT[action]
        if self.status not in sources:
            raise IllegalTransition("support file", self.status, action, self.allowed_actions())
        at = as_utc(at)
        self.history.append(FileChange(self.status, target, at, actor.subject, actor.org_id, end_reason))
        self.status = target
        return at
