"""Request and response bodies. Inputs are strict; responses show only what the caller's view allows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from enrolment_service.domain.beneficiary import (
    EMAIL_SHAPE,
    MAX_EMAIL_LENGTH,
    PHONE_SHAPE,
    Beneficiary,
    ConsentRecord,
    Identity,
    age_refusal,
)
from enrolment_service.domain.calendar import CalendarDates
from enrolment_service.domain.cohort import JOIN_AHEAD, Cohort
from enrolment_service.domain.pathway import MAX_WAIVER_REASON, Transition
from enrolment_service.domain.regions import REGIONS
from enrolment_service.domain.vocabulary import (
    SECTORS,
    ConsentPurpose,
    HoldReason,
    LanguageTest,
    PathwayAction,
    PathwayStatus,
    ProtectionStatus,
    Step,
    Track,
    WithdrawalReason,
)
from enrolment_service.service_layer.access import View
from hopekit.api.schemas import EmailAddress, Name, PhoneNumber, Reference, RequestModel, ResponseModel

# The pathway keeps at most 100 characters of an attestation's reference (domain.pathway.A1Attestation).
EvidenceReference = Annotated[Reference, Field(max_length=100)]


def _known_sector(code: str) -> str:
    if code not in SECTORS:
        raise ValueError(f"unknown sector; known sectors: {', '.join(SECTORS)}")
    return code


# The codes of the reference list (GET /v1/sectors) as an enum, so that a generated client cannot send another.
SectorCode = Annotated[str, AfterValidator(_known_sector), Field(json_schema_extra={"enum": list(SECTORS)})]


# The shapes the service accepts, stated in the document and checked with the other fields, so that every wrong
# field of a registration is named in one answer (domain.beneficiary checks the same).
Phone = Annotated[
    PhoneNumber,
    StringConstraints(pattern=PHONE_SHAPE),
    Field(
        description="E.164 (+33612345678) or a French number (06 12 34 56 78); spaces, dots, dashes allowed",
        json_schema_extra={"pattern": PHONE_SHAPE},
    ),
]
Email = Annotated[
    EmailAddress,
    StringConstraints(max_length=MAX_EMAIL_LENGTH, pattern=EMAIL_SHAPE),
    # The document's shape also leaves out control characters, which the kit refuses in any text.
    Field(json_schema_extra={"pattern": EMAIL_SHAPE.replace(r"[^@\s]", r"[^@\s\x00-\x1f\x7f-\x9f]")}),
]


class Registration(RequestModel):
    given_name: Name
    family_name: Name
    birth_date: date
    nationality: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3")]
    protection_status: ProtectionStatus
    track: Track = Track.GROUP
    ofii_number: Annotated[str | None, Field(pattern=r"^\d{10}$", description="AGDREF number")] = None
    france_travail_id: Annotated[str | None, Field(pattern=r"^[0-9A-Za-z]{8}$")] = None
    spoken_languages: Annotated[list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]], Field(max_length=20)] = []
    phone: Phone | None = None
    email: Email | None = None

    @field_validator("birth_date")
    @classmethod
    def _of_age(cls, birth_date: date) -> date:
        """The age rule with the format rules: a wrong birth date is named with the other wrong fields."""
        refusal = age_refusal(birth_date, datetime.now(UTC).date())
        if refusal is not None:
            raise ValueError(refusal)
        return birth_date

    def identity(self) -> Identity:
        return Identity(
            given_name=self.given_name,
            family_name=self.family_name,
            birth_date=self.birth_date,
            nationality=self.nationality,
            protection_status=self.protection_status,
            ofii_number=self.ofii_number,
            france_travail_id=self.france_travail_id,
            spoken_languages=tuple(self.spoken_languages),
            phone=self.phone,
            email=self.email,
        )


class Attestation(RequestModel):
    attested_on: date
    test: LanguageTest
    evidence_reference: EvidenceReference


class PrerequisitesValidation(RequestModel):
    # As a number, or as a string of digits with at most two decimals (not "" nor "1e3", which are refused).
    ofii_hours: Annotated[
        Decimal,
        Field(ge=0, le=10_000, max_digits=7, decimal_places=2),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": 0, "maximum": 10_000},
                    {"type": "string", "pattern": r"^\d{1,5}(\.\d{1,2})?$"},
                ]
            }
        ),
    ]
    attestation: Attestation


class TransitionRequest(RequestModel):
    action: Literal[
        PathwayAction.START_PREREQUISITES,
        PathwayAction.START_FRENCH_QUALIFICATION,
        PathwayAction.START_TRADE_QUALIFICATION,
        PathwayAction.COMPLETE,
        PathwayAction.PUT_ON_HOLD,
        PathwayAction.RESUME,
        PathwayAction.WITHDRAW,
    ]
    reason_code: HoldReason | None = Field(
        default=None,
        description="Why the pathway pauses (put_on_hold; 'other' when left out). 'health' stays in enrolment: "
        "events and reduced views show it as 'personal'.",
    )
    withdrawal_reason: WithdrawalReason | None = Field(
        default=None,
        description="Required to withdraw. 'health' stays in enrolment: events show it as 'personal'.",
        validate_default=True,
    )
    hours_waiver_reason: Annotated[str, Field(min_length=1, max_length=MAX_WAIVER_REASON)] | None = Field(
        default=None,
        description="start_trade_qualification only, by an admin of the programme operator: starts step 4 "
        "although training has not reported step 3's hours done, and says why. Never published.",
    )

    # The conditional requirements in the schema too (JSON Schema if/then), so that a client knows them.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"action": {"const": PathwayAction.WITHDRAW.value}}, "required": ["action"]},
                    "then": {
                        "required": ["withdrawal_reason"],
                        "properties": {"withdrawal_reason": {"type": "string"}},
                    },
                },
                {
                    "if": {
                        "required": ["hours_waiver_reason"],
                        "properties": {"hours_waiver_reason": {"type": "string"}},
                    },
                    "then": {"properties": {"action": {"const": PathwayAction.START_TRADE_QUALIFICATION.value}}},
                },
            ]
        }
    )

    @field_validator("hours_waiver_reason")
    @classmethod
    def _waiver_only_to_start_step_4(cls, reason: str | None, info: ValidationInfo) -> str | None:
        if reason is not None and info.data.get("action") is not PathwayAction.START_TRADE_QUALIFICATION:
            raise ValueError("an hours waiver goes only with start_trade_qualification")
        return reason

    @field_validator("withdrawal_reason")
    @classmethod
    def _withdrawal_has_reason(cls, reason: WithdrawalReason | None, info: ValidationInfo) -> WithdrawalReason | None:
        if reason is None and info.data.get("action") is PathwayAction.WITHDRAW:
            raise ValueError("withdrawing needs a withdrawal_reason")
        return reason


class SectorChoice(RequestModel):
    sector_code: SectorCode


class ConsentRequest(RequestModel):
    purpose: ConsentPurpose
    given: bool


class CalendarRequest(RequestModel):
    """A cohort's whole calendar: each step's first day and, when known, its last day. A step left out is not
    planned. Step 4 starts after step 3's last day (or, that unknown, not before step 3's start); refusals name
    every faulty field at once."""

    french_qualification_starts_on: date | None = None
    french_qualification_ends_on: date | None = None
    trade_qualification_starts_on: date | None = None
    trade_qualification_ends_on: date | None = None

    def dates(self) -> CalendarDates:
        return {
            Step.FRENCH_QUALIFICATION: (self.french_qualification_starts_on, self.french_qualification_ends_on),
            Step.TRADE_QUALIFICATION: (self.trade_qualification_starts_on, self.trade_qualification_ends_on),
        }


class CohortRequest(CalendarRequest):
    name: Name
    sector_code: SectorCode
    region: Annotated[
        str, Field(pattern=r"^\d{2}$", description="INSEE region code", json_schema_extra={"enum": list(REGIONS)})
    ]
    track: Track = Track.GROUP
    training_provider_org_id: UUID
    support_provider_org_id: UUID
    capacity: Annotated[int, Field(ge=1, le=500)]


class MemberRequest(RequestModel):
    beneficiary_id: UUID
    joined_on: date | None = Field(
        default=None,
        description="The day the person joins (training refuses their attendance before it). Default: today, or "
        "the cohort's first day when added before it starts. Refused (422) before the cohort's first day, before "
        f"the person's prerequisites were validated, or more than {JOIN_AHEAD.days} days after today (or after the "
        "cohort's first day, when later).",
    )


# What partners hear of a history reason: the published value of a hold or withdrawal reason.
_PUBLISHED_REASONS = {reason.value: reason.published.value for reason in (*HoldReason, *WithdrawalReason)}


def _published_reason(code: str | None) -> str | None:
    return _PUBLISHED_REASONS.get(code, code) if code is not None else None


class TransitionView(ResponseModel):
    from_status: PathwayStatus | None
    to_status: PathwayStatus
    at: datetime
    actor: str
    actor_org_id: UUID
    reason_code: str | None
    waiver_reason: str | None = None

    @classmethod
    def of(cls, entry: Transition, view: View) -> TransitionView:
        """A reduced view hears a reason as partners do: health as "personal", and no waiver text."""
        shown = cls.model_validate(entry)
        if view is View.FULL:
            return shown
        return shown.model_copy(update={"reason_code": _published_reason(entry.reason_code), "waiver_reason": None})


class PathwayView(ResponseModel):
    status: PathwayStatus
    current_step: int | None
    track: Track
    sector_code: str | None
    cohort_id: UUID | None
    # The day the person joined the cohort; null for members added before join dates were kept.
    cohort_joined_on: date | None = None
    allowed_actions: list[PathwayAction]
    ofii_hours: Decimal | None = None
    a1_attested_on: date | None = None
    # When training reported step 3's hours done (its course-completed event): step 4 may start from then on.
    french_hours_done_at: datetime | None = None
    history: list[TransitionView]


class ConsentView(ResponseModel):
    purpose: ConsentPurpose
    given: bool
    at: datetime
    recorded_by_org_id: UUID

    @classmethod
    def of(cls, record: ConsentRecord) -> ConsentView:
        return cls(
            purpose=record.purpose, given=record.given, at=record.at, recorded_by_org_id=record.recorded_by.org_id
        )


class BeneficiaryView(ResponseModel):
    """``view`` says which fields the caller may see: ``reduced`` leaves out contact and OFII details."""

    id: UUID
    view: View
    erased: bool
    given_name: str | None = None
    family_name: str | None = None
    spoken_languages: list[str] | None = None
    birth_date: date | None = None
    nationality: str | None = None
    protection_status: ProtectionStatus | None = None
    ofii_number: str | None = None
    france_travail_id: str | None = None
    phone: str | None = None
    email: str | None = None
    registered_at: datetime
    registered_by_org_id: UUID
    pathway: PathwayView
    consents: list[ConsentView] | None = None

    @classmethod
    def of(cls, beneficiary: Beneficiary, view: View) -> BeneficiaryView:
        pathway = beneficiary.pathway
        identity = beneficiary.identity
        prerequisites = pathway.prerequisites
        body = cls(
            id=beneficiary.id,
            view=view,
            erased=beneficiary.is_erased,
            registered_at=beneficiary.registered_at,
            registered_by_org_id=beneficiary.registered_by_org_id,
            pathway=PathwayView(
                status=pathway.status,
                current_step=int(pathway.current_step) if pathway.current_step else None,
                track=pathway.track,
                sector_code=pathway.sector_code,
                cohort_id=pathway.cohort_id,
                cohort_joined_on=pathway.cohort_joined_on,
                allowed_actions=list(pathway.allowed_actions()),
                ofii_hours=prerequisites.ofii_hours if prerequisites else None,
                a1_attested_on=prerequisites.attestation.attested_on if prerequisites else None,
                french_hours_done_at=pathway.french_hours_done_at,
                history=[TransitionView.of(entry, view) for entry in pathway.history],
            ),
        )
        if identity is not None:
            body.given_name = identity.given_name
            body.family_name = identity.family_name
            body.spoken_languages = list(identity.spoken_languages)
            if view is View.FULL:
                body.birth_date = identity.birth_date
                body.nationality = identity.nationality
                body.protection_status = identity.protection_status
                body.ofii_number = identity.ofii_number
                body.france_travail_id = identity.france_travail_id
                body.phone = identity.phone
                body.email = identity.email
        if view is View.FULL:
            body.consents = [ConsentView.of(record) for record in beneficiary.consents]
        return body


class CohortView(ResponseModel):
    id: UUID
    name: str
    sector_code: str
    region: str
    track: Track
    training_provider_org_id: UUID
    support_provider_org_id: UUID
    capacity: int
    places_left: int
    member_count: int
    french_qualification_starts_on: date | None
    french_qualification_ends_on: date | None
    trade_qualification_starts_on: date | None
    trade_qualification_ends_on: date | None

    @classmethod
    def of(cls, cohort: Cohort) -> CohortView:
        calendar = cohort.calendar
        return cls(
            id=cohort.id,
            name=cohort.name,
            sector_code=cohort.sector_code,
            region=cohort.region,
            track=cohort.track,
            training_provider_org_id=cohort.training_provider_org_id,
            support_provider_org_id=cohort.support_provider_org_id,
            capacity=cohort.capacity,
            places_left=cohort.places_left,
            member_count=len(cohort.member_ids),
            french_qualification_starts_on=calendar.starts_on(Step.FRENCH_QUALIFICATION),
            french_qualification_ends_on=calendar.ends_on(Step.FRENCH_QUALIFICATION),
            trade_qualification_starts_on=calendar.starts_on(Step.TRADE_QUALIFICATION),
            trade_qualification_ends_on=calendar.ends_on(Step.TRADE_QUALIFICATION),
        )


class SectorView(ResponseModel):
    code: str
    label: str
    rome_code: str
