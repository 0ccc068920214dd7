"""Domain events: ids, codes, dates and counts only. Medical needs and health referrals produce none."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from support_service.domain.vocabulary import EndReason, NeedCategory, NeedStatus, Partner


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class SupportFileOpened(DomainEvent):
    file_id: UUID
    beneficiary_id: UUID
    support_org_id: UUID
    cohort_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class SupportFileClosed(DomainEvent):
    file_id: UUID
    beneficiary_id: UUID
    support_org_id: UUID
    end_reason: EndReason


@dataclass(frozen=True, kw_only=True)
class NeedOpened(DomainEvent):
    need_id: UUID
    file_id: UUID
    beneficiary_id: UUID
    category: NeedCategory


@dataclass(frozen=True, kw_only=True)
class NeedResolved(DomainEvent):
    """A need that left the open states: `outcome` is resolved or abandoned."""

    need_id: UUID
    file_id: UUID
    beneficiary_id: UUID
    category: NeedCategory
    outcome: NeedStatus


@dataclass(frozen=True, kw_only=True)
class ReferralMade(DomainEvent):
    referral_id: UUID
    file_id: UUID
    beneficiary_id: UUID
    partner: Partner
    shares_information: bool


@dataclass(frozen=True, kw_only=True)
class HousingAssigned(DomainEvent):
    placement_id: UUID
    beneficiary_id: UUID
    residence_id: UUID
    bed_id: UUID
    starts_on: date
    ends_on: date  # exclusive: the morning the person leaves


@dataclass(frozen=True, kw_only=True)
class HousingReleased(DomainEvent):
    placement_id: UUID
    beneficiary_id: UUID
    residence_id: UUID
    bed_id: UUID
    released_on: date  # the bed is free from this night on


@dataclass(frozen=True, kw_only=True)
class MealsEntitled(DomainEvent):
    beneficiary_id: UUID
    month: date  # the first day of the month
    breakfasts: int
    lunches: int
    dinners: int
