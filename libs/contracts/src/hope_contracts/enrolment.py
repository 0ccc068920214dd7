"""Events published by the enrolment service on ``hope.enrolment.events``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

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
    occurred_at: datetime


class CohortMemberAdded(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.cohort.member_added.v1"
    subject_field: ClassVar[str] = "cohort_id"

    cohort_id: UUID
    beneficiary_id: UUID
    occurred_at: datetime
