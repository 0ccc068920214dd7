"""Domain events. They carry no identity and no free text: only ids, codes, dates and quantities."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from enrolment_service.domain.calendar import StepPeriod
from enrolment_service.domain.vocabulary import (
    ConsentPurpose,
    HoldReason,
    LanguageTest,
    PathwayStatus,
    ProtectionStatus,
    Step,
    Track,
    WithdrawalReason,
)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class BeneficiaryRegistered(DomainEvent):
    beneficiary_id: UUID
    track: Track
    protection_status: ProtectionStatus
    registered_by_org_id: UUID


@dataclass(frozen=True, kw_only=True)
class PrerequisitesValidated(DomainEvent):
    beneficiary_id: UUID
    ofii_hours: Decimal
    a1_attested_on: date
    test: LanguageTest


@dataclass(frozen=True, kw_only=True)
class SectorChosen(DomainEvent):
    beneficiary_id: UUID
    sector_code: str


@dataclass(frozen=True, kw_only=True)
class StepStarted(DomainEvent):
    beneficiary_id: UUID
    step: Step
    track: Track
    cohort_id: UUID | None
    sector_code: str | None


@dataclass(frozen=True, kw_only=True)
class StepCompleted(DomainEvent):
    beneficiary_id: UUID
    step: Step


@dataclass(frozen=True, kw_only=True)
class PathwayPutOnHold(DomainEvent):
    beneficiary_id: UUID
    from_status: PathwayStatus
    reason_code: HoldReason  # the published reason (HoldReason.published), never a health one


@dataclass(frozen=True, kw_only=True)
class PathwayResumed(DomainEvent):
    beneficiary_id: UUID
    to_status: PathwayStatus


@dataclass(frozen=True, kw_only=True)
class BeneficiaryWithdrawn(DomainEvent):
    beneficiary_id: UUID
    reason: WithdrawalReason  # the published reason (WithdrawalReason.published), never a health one
    from_status: PathwayStatus
    # The step reached, even when withdrawn while on hold: the employment KPI needs it.
    last_step: Step | None


@dataclass(frozen=True, kw_only=True)
class PathwayCompleted(DomainEvent):
    beneficiary_id: UUID


@dataclass(frozen=True, kw_only=True)
class CohortCreated(DomainEvent):
    cohort_id: UUID
    sector_code: str
    region: str
    track: Track
    training_provider_org_id: UUID
    support_provider_org_id: UUID
    capacity: int
    calendar: tuple[StepPeriod, ...]


@dataclass(frozen=True, kw_only=True)
class CohortCalendarChanged(DomainEvent):
    """The whole calendar as it now stands."""

    cohort_id: UUID
    calendar: tuple[StepPeriod, ...]


@dataclass(frozen=True, kw_only=True)
class CohortMemberAdded(DomainEvent):
    cohort_id: UUID
    beneficiary_id: UUID
    joined_on: date


@dataclass(frozen=True, kw_only=True)
class BeneficiaryErased(DomainEvent):
    beneficiary_id: UUID


@dataclass(frozen=True, kw_only=True)
class ConsentChanged(DomainEvent):
    """Only for a published purpose (``ConsentPurpose.published``): never for health support."""

    beneficiary_id: UUID
    purpose: ConsentPurpose
    given: bool
