"""Needs from the taxonomy, their state machine, and the actions taken against them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from uuid import UUID

from support_service.domain.actor import Actor
from support_service.domain.errors import IllegalTransition, InvalidValue
from support_service.domain.events import NeedOpened, NeedResolved
from support_service.domain.instants import as_utc
from support_service.domain.taxonomy import category_of
from support_service.domain.vocabulary import (
    OPEN_NEED_STATUSES,
    ActionType,
    NeedCategory,
    NeedStatus,
    Partner,
    Priority,
)

MAX_ACTION_MINUTES = 24 * 60

_NEXT: Mapping[str, tuple[frozenset[NeedStatus], NeedStatus]] = MappingProxyType(
    {
        "start": (frozenset({NeedStatus.IDENTIFIED}), NeedStatus.IN_PROGRESS),
        "resolve": (OPEN_NEED_STATUSES, NeedStatus.RESOLVED),
        "abandon": (OPEN_NEED_STATUSES, NeedStatus.ABANDONED),
    }
)


@dataclass(frozen=True)
class NeedChange:
    from_status: NeedStatus | None
    to_status: NeedStatus
    at: datetime
    actor: str
    actor_org_id: UUID


@dataclass(frozen=True)
class Action:
    """An appointment or intervention against a need; the need's readers read it."""

    id: UUID
    type: ActionType
    on: date
    duration_minutes: int
    partner: Partner | None
    follow_up_on: date | None
    recorded_by: str
    recorded_at: datetime

    def __post_init__(self) -> None:
        if not 0 < self.duration_minutes <= MAX_ACTION_MINUTES:
            raise InvalidValue("duration_minutes", f"must be between 1 and {MAX_ACTION_MINUTES}")
        if self.follow_up_on is not None and self.follow_up_on < self.on:
            raise InvalidValue("follow_up_on", "must not be before the action's date")


@dataclass
class Need:
    id: UUID
    file_id: UUID
    beneficiary_id: UUID
    code: str
    priority: Priority
    due_on: date | None
    status: NeedStatus
    history: list[NeedChange] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @classmethod
    def identify(
        cls,
        *,
        need_id: UUID,
        file_id: UUID,
        beneficiary_id: UUID,
        code: str,
        priority: Priority,
        due_on: date | None,
        actor: Actor,
        at: datetime,
    ) -> tuple["Need", list[NeedOpened]]:
        category = category_of(code)
        at = as_utc(at)
        if due_on is not None and due_on < at.date():
            raise InvalidValue("due_on", "must not be in the past")
        need = cls(need_id, file_id, beneficiary_id, code, priority, due_on, NeedStatus.IDENTIFIED)
        need.history.append(NeedChange(None, NeedStatus.IDENTIFIED, at, actor.subject, actor.org_id))
        if category is NeedCategory.MEDICAL:
            return need, []
        opened = NeedOpened(
            need_id=need_id, file_id=file_id, beneficiary_id=beneficiary_id, category=category, occurred_at=at
        )
        return need, [opened]

    @property
    def category(self) -> NeedCategory:
        return category_of(self.code)

    @property
    def is_medical(self) -> bool:
        return self.category is NeedCategory.MEDICAL

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NEED_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    def allowed_actions(self) -> tuple[str, ...]:
        return tuple(action for action, (sources, _) in _NEXT.items() if self.status in sources)

    def start(self, actor: Actor, at: datetime) -> None:
        self._move("start", actor, at)

    def resolve(self, actor: Actor, at: datetime) -> list[NeedResolved]:
        return self._close("resolve", actor, at)

    def abandon(self, actor: Actor, at: datetime) -> list[NeedResolved]:
        return self._close("abandon", actor, at)

    def reprioritise(self, priority: Priority, due_on: date | None) -> None:
        if not self.is_open:
            raise IllegalTransition("need", self.status, "reprioritise", self.allowed_actions())
        self.priority = priority
        self.due_on = due_on

    def record_action(self, action: Action) -> None:
        if not self.is_open:
            raise IllegalTransition("need", self.status, "record_action", self.allowed_actions())
        self.actions.append(action)

    def follow_ups_between(self, first: date, last: date) -> list[Action]:
        return [a for a in self.actions if a.follow_up_on is not None and first <= a.follow_up_on <= last]

    def _close(self, action: str, actor: Actor, at: datetime) -> list[NeedResolved]:
        at = self._move(action, actor, at)
        if self.is_medical:
            return []
        resolved = NeedResolved(
            need_id=self.id,
            file_id=self.file_id,
            beneficiary_id=self.beneficiary_id,
            category=self.category,
            outcome=self.status,
            occurred_at=at,
        )
        return [resolved]

    def _move(self, action: str, actor: Actor, at: datetime) -> datetime:
        sources, target = _NEXT[action]
        if self.status not in sources:
            raise IllegalTransition("need", self.status, action, self.allowed_actions())
        at = as_utc(at)
        self.history.append(NeedChange(self.status, target, at, actor.subject, actor.org_id))
        self.status = target
        return at
