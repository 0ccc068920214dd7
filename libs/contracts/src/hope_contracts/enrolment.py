"""Events published by the enrolment service on ``hope.enrolment.events``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hope_contracts.base import EventContract
from hope_contracts.codes import LanguageTest, RegionCode, SectorCode, Track

StepNumber = Literal[1, 2, 3, 4]
ProtectionStatus = Literal["refugee", "subsidiary_protection", "stateless", "other"]
PathwayStatus = Literal[
    "registered",
    "prerequisites",
    "pre_orientation",
    "french_qualification",
    "trade_qualification",
    "completed",
    "on_hold",
    "withdrawn",
]
# Published reasons only: a hold or a withdrawal for health reasons is published as "personal" (DESIGN.md §5);
# enrolment keeps the real reason for those who may read it.
HoldReason = Literal["training_break", "personal", "administrative", "employment", "other"]
WithdrawalReason = Literal["employment_found", "moved_away", "personal", "excluded", "other"]


class BeneficiaryRegistered(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.registered.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    track: Track
    protection_status: ProtectionStatus
    registered_by_org_id: UUID
    occurred_at: datetime


class PrerequisitesValidated(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.prerequisites_validated.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    ofii_hours: Decimal = Field(decimal_places=2)
    a1_attested_on: date
    test: LanguageTest
    occurred_at: datetime


class StepStarted(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.step_started.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    step: StepNumber
    track: Track
    cohort_id: UUID | None = None
    sector_code: SectorCode | None = None
    occurred_at: datetime


class StepCompleted(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.step_completed.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    step: StepNumber
    occurred_at: datetime


class SectorChosen(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.sector_chosen.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    sector_code: SectorCode
    occurred_at: datetime


class PathwayPutOnHold(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.put_on_hold.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    from_status: PathwayStatus
    reason_code: HoldReason | None = None
    occurred_at: datetime


class PathwayResumed(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.resumed.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    to_status: PathwayStatus
    occurred_at: datetime


class BeneficiaryWithdrawn(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.withdrawn.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    reason: WithdrawalReason
    from_status: PathwayStatus
    last_step: StepNumber | None = None
    occurred_at: datetime


class PathwayCompleted(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.completed.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    occurred_at: datetime


class BeneficiaryErased(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.erased.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    occurred_at: datetime


class StepPeriod(BaseModel):
    """When a cohort's step 3 or 4 is planned: training's courses fall within it, support's step ends with it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    step: Literal[3, 4]
    starts_on: date
    ends_on: date | None = None  # not known yet


class CohortCreated(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.cohort.created.v1"
    subject_field: ClassVar[str] = "cohort_id"

    cohort_id: UUID
    sector_code: SectorCode
    region: RegionCode
    track: Track
    training_provider_org_id: UUID
    support_provider_org_id: UUID
    capacity: int = Field(ge=1)
    # The cohort's calendar, one period per planned step (empty when none is planned yet). Added within v1:
    # consumers built before it ignore it, and events sent before it read as an empty calendar.
    calendar: tuple[StepPeriod, ...] = ()
    occurred_at: datetime


class CohortCalendarChanged(EventContract):
    """The whole calendar as it now stands (not a difference): a consumer replaces what it held."""

    event_type: ClassVar[str] = "fr.hope.enrolment.cohort.calendar_changed.v1"
    subject_field: ClassVar[str] = "cohort_id"

    cohort_id: UUID
    calendar: tuple[StepPeriod, ...]
    occurred_at: datetime


class CohortMemberAdded(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.cohort.member_added.v1"
    subject_field: ClassVar[str] = "cohort_id"

    cohort_id: UUID
    beneficiary_id: UUID
    occurred_at: datetime
    # The day the person joined (their own when they join a cohort already under way; the cohort's first day when
    # added before it starts). Absent from events published before it existed: use occurred_at's date then.
    joined_on: date | None = None


# Purposes whose consent other services act on. Consent to health support is never published: its existence
# would say something about the person's health (DESIGN.md §5).
PublishedConsentPurpose = Literal["programme_participation", "data_sharing_with_partners", "employer_contact"]


class ConsentChanged(EventContract):
    """A person gave or withdrew a consent; e.g. France Travail sees follow-ups only with data sharing given."""

    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.consent_changed.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    purpose: PublishedConsentPurpose
    given: bool
    occurred_at: datetime
