"""Events published by the enrolment service on ``hope.enrolment.events``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import Field

from hope_contracts.base import Code, EventContract

Track = Literal["group", "individual"]
StepNumber = Literal[1, 2, 3, 4]


class BeneficiaryRegistered(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.registered.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    track: Track
    protection_status: Code
    registered_by_org_id: UUID
    occurred_at: datetime


class PrerequisitesValidated(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.prerequisites_validated.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    ofii_hours: Decimal = Field(decimal_places=2)
    a1_attested_on: date
    test: Code
    occurred_at: datetime


class StepStarted(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.step_started.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    step: StepNumber
    track: Track
    cohort_id: UUID | None = None
    sector_code: Code | None = None
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
    sector_code: Code
    occurred_at: datetime


class PathwayPutOnHold(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.put_on_hold.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    from_status: Code
    reason_code: Code | None = None
    occurred_at: datetime


class PathwayResumed(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.pathway.resumed.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    to_status: Code
    occurred_at: datetime


class BeneficiaryWithdrawn(EventContract):
    event_type: ClassVar[str] = "fr.hope.enrolment.beneficiary.withdrawn.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    beneficiary_id: UUID
    reason: Code
    from_status: Code
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
    sector_code: Code
    region: Code
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
