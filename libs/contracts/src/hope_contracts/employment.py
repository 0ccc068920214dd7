"""Events published by the employment service on ``hope.employment.events``: ids, codes, dates and hours only.

No employer HR contact and no company name travel here. The SIREN stays out too: a sole trader's SIREN names
a person in the public SIRENE register.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from hope_contracts.base import EventContract
from hope_contracts.codes import RegionCode, SectorCode

ApplicationDecision = Literal["accepted", "refused", "withdrawn", "obsolete"]
RefusalReason = Literal["no_show", "not_eligible", "barrier", "position_filled", "declined_by_person", "other"]
WorkStudyContractType = Literal["professionalisation", "apprenticeship", "cdpi", "cddi", "other"]
BreakingParty = Literal["employer", "employee", "mutual"]
BreakReason = Literal[
    "trial_not_conclusive", "resignation", "dismissal", "mutual_agreement", "training_stopped", "other"
]
ExitOutcome = Literal["cdi", "cdd_6m_plus", "cdd_short", "interim", "work_study", "training", "job_search", "other"]
EvidenceSource = Literal["beneficiary_statement", "employer_confirmation", "contract_copy", "public_employment_data"]
# Public classifications as strict formats (one letter at most, from a fixed set: no word can be spelt).
NafCode = Annotated[str, StringConstraints(pattern=r"^\d{2}\.\d{2}[ABCDEFGHIJKLMNOPQRSTUVWXYZ]$")]
RomeCode = Annotated[str, StringConstraints(pattern=r"^[ABCDEFGHIJKLMN]\d{4}$")]
DepartmentCode = Annotated[str, StringConstraints(pattern=r"^(\d{2}|2A|2B|97\d)$")]
FollowUpMonths = Literal[3, 6, 12]


class EmployerRegistered(EventContract):
    event_type: ClassVar[str] = "fr.hope.employment.employer.registered.v1"
    subject_field: ClassVar[str] = "employer_id"

    employer_id: UUID
    naf_code: NafCode
    akto_member: bool
    sector_codes: tuple[SectorCode, ...]
    occurred_at: datetime


class VacancyPublished(EventContract):
    """A work-study vacancy: the demand by sector and region that cohorts are formed around."""

    event_type: ClassVar[str] = "fr.hope.employment.vacancy.published.v1"
    subject_field: ClassVar[str] = "vacancy_id"

    vacancy_id: UUID
    employer_id: UUID
    establishment_id: UUID
    rome_code: RomeCode
    sector_code: SectorCode
    department_code: DepartmentCode
    region_code: RegionCode
    positions: int = Field(ge=1)
    hours_per_week: Decimal = Field(decimal_places=2)
    starts_on: date
    contract_type: WorkStudyContractType
    occurred_at: datetime


class VacancyStatusChanged(EventContract):
    """A vacancy left `open`: filled with its last hire, or closed by the employer."""

    event_type: ClassVar[str] = "fr.hope.employment.vacancy.status_changed.v1"
    subject_field: ClassVar[str] = "vacancy_id"

    vacancy_id: UUID
    status: Literal["filled", "closed"]
    occurred_at: datetime


class ApplicationDecided(EventContract):
    event_type: ClassVar[str] = "fr.hope.employment.application.decided.v1"
    subject_field: ClassVar[str] = "application_id"

    application_id: UUID
    vacancy_id: UUID
    beneficiary_id: UUID
    status: ApplicationDecision
    refusal_reason: RefusalReason | None = None
    occurred_at: datetime


class ContractSigned(EventContract):
    event_type: ClassVar[str] = "fr.hope.employment.contract.signed.v1"
    subject_field: ClassVar[str] = "contract_id"

    contract_id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    contract_type: WorkStudyContractType
    starts_on: date
    planned_end_on: date
    hours_per_week: Decimal = Field(decimal_places=2)
    trial_ends_on: date
    occurred_at: datetime


class ContractStarted(EventContract):
    event_type: ClassVar[str] = "fr.hope.employment.contract.started.v1"
    subject_field: ClassVar[str] = "contract_id"

    contract_id: UUID
    beneficiary_id: UUID
    started_on: date
    occurred_at: datetime


class ContractEnded(EventContract):
    """Completed, or broken early: by whom, why (codes) and whether the trial period was still running."""

    event_type: ClassVar[str] = "fr.hope.employment.contract.ended.v1"
    subject_field: ClassVar[str] = "contract_id"

    contract_id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    status: Literal["completed", "broken"]
    ended_on: date
    broken_by: BreakingParty | None = None
    break_reason: BreakReason | None = None
    during_trial: bool | None = None
    occurred_at: datetime


class PlacementMade(EventContract):
    """A company immersion (PMSMP) during step 3."""

    event_type: ClassVar[str] = "fr.hope.employment.placement.made.v1"
    subject_field: ClassVar[str] = "placement_id"

    placement_id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    starts_on: date
    ends_on: date
    hours: Decimal = Field(decimal_places=2)
    occurred_at: datetime


class OutcomeRecorded(EventContract):
    """A person's situation when they left the path; enrolment waits for it to complete the path."""

    event_type: ClassVar[str] = "fr.hope.employment.outcome.recorded.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    outcome_code: ExitOutcome
    exit_on: date
    employer_id: UUID | None = None
    weekly_hours: Decimal | None = Field(default=None, decimal_places=2)
    evidence_source: EvidenceSource
    counts_as_employed: bool
    occurred_at: datetime


class FollowUpRecorded(EventContract):
    """A follow-up closed: `done` with the situation at that date, or `unreachable` after the attempts made."""

    event_type: ClassVar[str] = "fr.hope.employment.follow_up.recorded.v1"
    subject_field: ClassVar[str] = "follow_up_id"

    follow_up_id: UUID
    beneficiary_id: UUID
    months_after_exit: FollowUpMonths
    due_on: date
    status: Literal["done", "unreachable"]
    attempts: int = Field(ge=0)
    observed_on: date | None = None
    outcome_code: ExitOutcome | None = None
    evidence_source: EvidenceSource | None = None
    counts_as_employed: bool | None = None
    occurred_at: datetime
