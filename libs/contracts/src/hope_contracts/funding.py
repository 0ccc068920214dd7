"""Events published by the funding service on ``hope.funding.events``: ids, codes, dates and amounts only.

Every string is a closed list (hope_contracts.privacy). The partner-issued references of an agreement or a
payment are free text: they stay out of the events (the ids identify both; a consumer reads the reference
through the funding API).

Amounts are ``Decimal`` euros with two places and travel as decimal strings (``"1234.50"``). An event
about one person's money carries ``beneficiary_id`` (the Kafka key, so one person's movements stay in
order); the others are keyed by their aggregate (agreement, session, claim).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hope_contracts.base import EventContract

StepNumber = Literal[1, 2, 3, 4]

# The funding service's vocabulary (funding_service.domain.vocabulary; its tests check the two agree).
FunderKind = Literal["opco", "state", "region", "france_travail", "esf", "other"]
CostType = Literal[
    "training_hours",
    "support_per_person_month",
    "housing_night",
    "catering_meal",
    "trainee_allowance",
    "other",
]
Unit = Literal["hour", "person_month", "night", "meal", "person_day", "lump_sum"]
# Why committed money went back to the lines: a withdrawal, or a course re-scheduled with fewer hours.
ReleaseReason = Literal["withdrawn", "rescheduled"]
# Why a funder approved less than claimed on a line, or rejected a whole claim (the API takes only these).
ClaimReason = Literal[
    "hours_not_evidenced",
    "attendance_below_threshold",
    "outside_agreement_period",
    "person_not_eligible",
    "cost_not_eligible",
    "above_agreed_rate",
    "above_budget_line",
    "duplicate_claim",
    "documents_missing",
    "out_of_scope",
    "other",
]
Amount = Decimal  # read with Field(decimal_places=2): euros to the cent


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class BudgetLineGranted(_Part):
    budget_line_id: UUID
    cost_type: CostType
    unit: Unit
    quantity: Decimal = Field(decimal_places=2, gt=0)
    amount: Amount = Field(decimal_places=2, gt=0)


class FunderPart(_Part):
    """One funder's part of a movement: which line of which agreement moved how much."""

    funder_id: UUID
    agreement_id: UUID
    budget_line_id: UUID
    amount: Amount = Field(decimal_places=2)


class AgreementSigned(EventContract):
    event_type: ClassVar[str] = "fr.hope.funding.agreement.signed.v1"
    subject_field: ClassVar[str] = "agreement_id"

    agreement_id: UUID
    funder_id: UUID
    funder_kind: FunderKind
    # The partner organisation that is this funder, when it has one on the platform (reporting scopes a funder's
    # readers to their own agreements with it).
    funder_organisation_id: UUID | None = None
    period_start: date
    period_end: date
    signed_on: date
    total_amount: Amount = Field(decimal_places=2, gt=0)
    lines: tuple[BudgetLineGranted, ...]
    occurred_at: datetime


class CommitmentMade(EventContract):
    """A person's step started in a financed cohort or path: each funder's part of its planned cost is reserved."""

    event_type: ClassVar[str] = "fr.hope.funding.commitment.made.v1"
    subject_field: ClassVar[str] = "commitment_id"

    commitment_id: UUID
    beneficiary_id: UUID
    cohort_id: UUID | None = None
    step: StepNumber | None = None
    cost_type: CostType
    planned_quantity: Decimal = Field(decimal_places=2, gt=0)
    total_amount: Amount = Field(decimal_places=2, gt=0)
    parts: tuple[FunderPart, ...]
    occurred_at: datetime


class CommitmentReleased(EventContract):
    """What was committed for a person and not consumed went back to the lines (on withdrawal, or when the
    course's planned hours went down)."""

    event_type: ClassVar[str] = "fr.hope.funding.commitment.released.v1"
    subject_field: ClassVar[str] = "release_id"

    release_id: UUID
    beneficiary_id: UUID
    reason: ReleaseReason
    total_amount: Amount = Field(decimal_places=2, gt=0)
    parts: tuple[FunderPart, ...]
    occurred_at: datetime


class ConsumptionEntry(_Part):
    """One person's change on one line from one sheet: positive consumes, negative gives back (a correction)."""

    beneficiary_id: UUID
    funder_id: UUID
    agreement_id: UUID
    budget_line_id: UUID
    funded_hours: Decimal = Field(decimal_places=2, ge=0)
    amount: Amount = Field(decimal_places=2)
    # The part of ``amount`` drawn from (or, when negative, given back to) the person's commitment on the line; the
    # rest was consumed beyond it, straight from what the line had available. None from a publisher that predates
    # the field: a consumer then has to allocate the amount itself.
    from_commitment: Amount | None = Field(default=None, decimal_places=2)


class ConsumptionRecorded(EventContract):
    """The differences one attendance sheet (or its correction) posted; a duplicate sheet publishes nothing."""

    event_type: ClassVar[str] = "fr.hope.funding.consumption.recorded.v1"
    subject_field: ClassVar[str] = "session_id"

    session_id: UUID
    course_id: UUID
    cohort_id: UUID | None = None
    step: StepNumber
    held_on: date
    # The training event this answers, so a consumer can match the two.
    source_event_id: UUID
    entries: tuple[ConsumptionEntry, ...]
    occurred_at: datetime


class SupportCostEntry(_Part):
    """One funder's change on one line for one month of a support cost: positive consumes, negative gives back (a
    placement released early, a file closed sooner than counted)."""

    funder_id: UUID
    agreement_id: UUID
    budget_line_id: UUID
    # The day the month's units are dated (a claim takes the months its period covers).
    held_on: date
    amount: Amount = Field(decimal_places=2)
    # As on ConsumptionEntry: the part of ``amount`` drawn from (negative: given back to) a commitment.
    from_commitment: Amount | None = Field(default=None, decimal_places=2)


class SupportCostRecorded(EventContract):
    """The differences one support event (a housing placement, a month of meals, a support file) posted to the
    lines that pay it; an event that changes nothing publishes nothing. Units the plan does not pay are not here
    (funding's ``GET /v1/unfunded-support-costs`` lists them)."""

    event_type: ClassVar[str] = "fr.hope.funding.support_cost.recorded.v1"
    subject_field: ClassVar[str] = "beneficiary_id"

    # The placement, the person's month of meals or the support file the units come from.
    source_id: UUID
    beneficiary_id: UUID
    cohort_id: UUID | None = None
    cost_type: CostType
    # The units the source counts now (nights, meals or person-months), all months together.
    units: Decimal = Field(decimal_places=2, ge=0)
    # The support event this answers, so a consumer can match the two.
    source_event_id: UUID
    entries: tuple[SupportCostEntry, ...]
    occurred_at: datetime


class ClaimSubmitted(EventContract):
    event_type: ClassVar[str] = "fr.hope.funding.claim.submitted.v1"
    subject_field: ClassVar[str] = "claim_id"

    claim_id: UUID
    agreement_id: UUID
    funder_id: UUID
    period_start: date
    period_end: date
    submitted_on: date
    people_count: int = Field(ge=1)
    claimed_amount: Amount = Field(decimal_places=2, gt=0)
    occurred_at: datetime


class ClaimLineDecision(_Part):
    beneficiary_id: UUID
    budget_line_id: UUID
    cost_type: CostType
    claimed_amount: Amount = Field(decimal_places=2, gt=0)
    approved_amount: Amount = Field(decimal_places=2, ge=0)
    reason_code: ClaimReason | None = None


class ClaimApproved(EventContract):
    event_type: ClassVar[str] = "fr.hope.funding.claim.approved.v1"
    subject_field: ClassVar[str] = "claim_id"

    claim_id: UUID
    agreement_id: UUID
    funder_id: UUID
    approved_on: date
    claimed_amount: Amount = Field(decimal_places=2, gt=0)
    approved_amount: Amount = Field(decimal_places=2, ge=0)
    lines: tuple[ClaimLineDecision, ...]
    occurred_at: datetime


class ClaimRejected(EventContract):
    event_type: ClassVar[str] = "fr.hope.funding.claim.rejected.v1"
    subject_field: ClassVar[str] = "claim_id"

    claim_id: UUID
    agreement_id: UUID
    funder_id: UUID
    rejected_on: date
    reason_code: ClaimReason
    claimed_amount: Amount = Field(decimal_places=2, gt=0)
    occurred_at: datetime


class PaymentIssued(EventContract):
    """The funder paid an approved claim (recorded from its remittance advice)."""

    event_type: ClassVar[str] = "fr.hope.funding.payment.issued.v1"
    subject_field: ClassVar[str] = "claim_id"

    claim_id: UUID
    agreement_id: UUID
    funder_id: UUID
    paid_on: date
    amount: Amount = Field(decimal_places=2, gt=0)
    occurred_at: datetime
