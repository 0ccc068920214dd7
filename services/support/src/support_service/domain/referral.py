"""Referrals to outside services: sent → accepted | refused, accepted → done."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from uuid import UUID

from support_service.domain.actor import Actor
from support_service.domain.errors import ConsentRequired, IllegalTransition, InvalidValue
from support_service.domain.events import ReferralMade
from support_service.domain.instants import as_utc
from support_service.domain.vocabulary import HEALTH_PARTNERS, Partner, ReferralStatus

_NEXT: Mapping[str, tuple[frozenset[ReferralStatus], ReferralStatus]] = MappingProxyType(
    {
        "accept": (frozenset({ReferralStatus.SENT}), ReferralStatus.ACCEPTED),
        "refuse": (frozenset({ReferralStatus.SENT}), ReferralStatus.REFUSED),
        "complete": (frozenset({ReferralStatus.ACCEPTED}), ReferralStatus.DONE),
    }
)


@dataclass(frozen=True)
class ReferralChange:
    from_status: ReferralStatus | None
    to_status: ReferralStatus
    at: datetime
    actor: str
    actor_org_id: UUID


@dataclass
class Referral:
    id: UUID
    file_id: UUID
    beneficiary_id: UUID
    partner: Partner
    need_id: UUID | None
    shares_information: bool
    consent_recorded_on: date | None
    status: ReferralStatus
    history: list[ReferralChange] = field(default_factory=list)

    @classmethod
    def send(
        cls,
        *,
        referral_id: UUID,
        file_id: UUID,
        beneficiary_id: UUID,
        partner: Partner,
        need_id: UUID | None,
        need_is_medical: bool,
        shares_information: bool,
        consent_recorded_on: date | None,
        actor: Actor,
        at: datetime,
    ) -> tuple["Referral", list[ReferralMade]]:
        """Information goes out only with consent; a referral about health is published nowhere."""
        at = as_utc(at)
        if shares_information and consent_recorded_on is None:
            raise ConsentRequired()
        if consent_recorded_on is not None and consent_recorded_on > at.date():
            raise InvalidValue("consent_recorded_on", "must not be in the future")
        referral = cls(
            referral_id,
            file_id,
            beneficiary_id,
            partner,
            need_id,
            shares_information,
            consent_recorded_on,
            ReferralStatus.SENT,
        )
        referral.history.append(ReferralChange(None, ReferralStatus.SENT, at, actor.subject, actor.org_id))
        if need_is_medical or partner in HEALTH_PARTNERS:
            return referral, []
        made = ReferralMade(
            referral_id=referral_id,
            file_id=file_id,
            beneficiary_id=beneficiary_id,
            partner=partner,
            shares_information=shares_information,
            occurred_at=at,
        )
        return referral, [made]

    def accept(self, actor: Actor, at: datetime) -> None:
        self._move("accept", actor, at)

    def refuse(self, actor: Actor, at: datetime) -> None:
        self._move("refuse", actor, at)

    def complete(self, actor: Actor, at: datetime) -> None:
        self._move("complete", actor, at)

    def _move(self, action: str, actor: Actor, at: datetime) -> None:
        sources, target = _NEXT[action]
        if self.status not in sources:
            allowed = tuple(name for name, (froms, _) in _NEXT.items() if self.status in froms)
            raise IllegalTransition("referral", self.status, action, allowed)
        self.history.append(ReferralChange(self.status, target, as_utc(at), actor.subject, actor.org_id))
        self.status = target
