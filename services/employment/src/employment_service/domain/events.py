"""Domain events returned by the aggregates. No identity and no free text: ids, codes, dates, quantities."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from employment_service.domain.vocabulary import (
    ApplicationStatus,
    BreakingParty,
    BreakReason,
    ContractStatus,
    ContractType,
    EvidenceSource,
    FollowUpStatus,
    OutcomeCode,
    RefusalReason,
    VacancyStatus,
)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    occurred_at: datetime


@dataclass(frozen=True, kw_only=True)
class EmployerRegistered(DomainEvent):
    employer_id: UUID
    naf_code: str
    akto_member: bool
    sector_codes: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class VacancyPublished(DomainEvent):
    vacancy_id: UUID
    employer_id: UUID
    establishment_id: UUID
    rome_code: str
    sector_code: str
    department_code: str
    region_code: str
    positions: int
    hours_per_week: Decimal
    starts_on: date
    contract_type: ContractType


@dataclass(frozen=True, kw_only=True)
class VacancyStatusChanged(DomainEvent):
    vacancy_id: UUID
    status: VacancyStatus


@dataclass(frozen=True, kw_only=True)
class ApplicationDecided(DomainEvent):
    application_id: UUID
    vacancy_id: UUID
    beneficiary_id: UUID
    status: ApplicationStatus
    refusal_reason: RefusalReason | None = None


@dataclass(frozen=True, kw_only=True)
class ContractSigned(DomainEvent):
    contract_id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    contract_type: ContractType
    starts_on: date
    planned_end_on: date
    hours_per_week: Decimal
    trial_ends_on: date


@dataclass(frozen=True, kw_only=True)
class ContractStarted(DomainEvent):
    contract_id: UUID
    beneficiary_id: UUID
    started_on: date


@dataclass(frozen=True, kw_only=True)
class ContractEnded(DomainEvent):
    contract_id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    status: ContractStatus  # completed or broken
    ended_on: date
    broken_by: BreakingParty | None = None
    break_reason: BreakReason | None = None
    during_trial: bool | None = None


@dataclass(frozen=True, kw_only=True)
class PlacementMade(DomainEvent):
    placement_id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    starts_on: date
    ends_on: date
    hours: Decimal


@dataclass(frozen=True, kw_only=True)
class OutcomeRecorded(DomainEvent):
    beneficiary_id: UUID
    outcome_code: OutcomeCode
    exit_on: date
    employer_id: UUID | None
    weekly_hours: Decimal | None
    evidence_source: EvidenceSource
    counts_as_employed: bool


@dataclass(frozen=True, kw_only=True)
class FollowUpRecorded(DomainEvent):
    follow_up_id: UUID
    beneficiary_id: UUID
    months_after_exit: int
    due_on: date
    status: FollowUpStatus
    attempts: int
    observed_on: date | None = None
    outcome_code: OutcomeCode | None = None
    evidence_source: EvidenceSource | None = None
    counts_as_employed: bool | None = None
