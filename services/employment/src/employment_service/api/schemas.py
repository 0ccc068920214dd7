"""Request and response bodies. Inputs are strict (unknown fields refused); codes are checked by the domain,
which names the accepted list; hours are decimals with two places."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from employment_service.domain.application import Application
from employment_service.domain.contact import HrContact
from employment_service.domain.contract import WorkStudyContract
from employment_service.domain.employer import Employer, Establishment, Pledge
from employment_service.domain.follow_up import FollowUp
from employment_service.domain.observation import Observation
from employment_service.domain.outcome import ExitOutcome
from employment_service.domain.person_path import PersonPath
from employment_service.domain.placement import ImmersionPlacement
from employment_service.domain.vacancy import Vacancy
from employment_service.service_layer.employers import DemandLine
from employment_service.service_layer.follow_ups import FollowUpLine
from hopekit.api.schemas import EmailAddress, PhoneNumber, RequestModel, ResponseModel, Title

Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]
Digits = Annotated[str, StringConstraints(min_length=9, max_length=20)]
WeeklyHours = Annotated[Decimal, Field(ge=1, le=48, max_digits=4, decimal_places=2)]
ImmersionHours = Annotated[Decimal, Field(gt=0, max_digits=6, decimal_places=2)]
StaffRef = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class HrContactIn(RequestModel):
    full_name: Title
    email: EmailAddress
    phone: PhoneNumber | None = None

    def domain(self) -> HrContact:
        return HrContact(self.full_name, self.email, self.phone)


class HrContactView(ResponseModel):
    full_name: str
    email: str
    phone: str | None

    @classmethod
    def of(cls, contact: HrContact) -> HrContactView:
        return cls(full_name=contact.full_name, email=contact.email, phone=contact.phone)


class EmployerIn(RequestModel):
    siret: Digits = Field(description="14 digits; spaces allowed. The SIREN is its first 9.")
    name: Title
    naf_code: Annotated[str, StringConstraints(min_length=5, max_length=6)]
    akto_member: bool
    sector_codes: Annotated[list[Code], Field(min_length=1, max_length=10)]
    hr_contact: HrContactIn | None = None
    org_id: UUID | None = Field(
        default=None, description="The employer organisation acting for it (operator only; an employer is itself)."
    )


class EstablishmentIn(RequestModel):
    commune_code: Annotated[str, StringConstraints(min_length=5, max_length=5)]
    siret: Digits | None = None


class EstablishmentView(ResponseModel):
    id: UUID
    employer_id: UUID
    siret: str | None
    commune_code: str
    department_code: str
    region_code: str

    @classmethod
    def of(cls, e: Establishment) -> EstablishmentView:
        return cls(
            id=e.id,
            employer_id=e.employer_id,
            siret=e.siret.value if e.siret else None,
            commune_code=e.commune.code,
            department_code=e.department_code,
            region_code=e.region_code,
        )


class EmployerView(ResponseModel):
    id: UUID
    siret: str
    siren: str
    name: str
    naf_code: str
    akto_member: bool
    sector_codes: list[str]
    org_id: UUID | None
    establishments: list[EstablishmentView]

    @classmethod
    def of(cls, e: Employer) -> EmployerView:
        return cls(
            id=e.id,
            siret=e.siret.value,
            siren=e.siren.value,
            name=e.name,
            naf_code=e.naf_code,
            akto_member=e.akto_member,
            sector_codes=sorted(e.sector_codes),
            org_id=e.org_id,
            establishments=[EstablishmentView.of(x) for x in e.establishments.values()],
        )


class PledgeIn(RequestModel):
    sector_code: Code
    region_code: Annotated[str, StringConstraints(min_length=2, max_length=3)]
    places: int = Field(ge=1, le=1000)
    starts_on: date
    ends_on: date


class PledgeView(ResponseModel):
    id: UUID
    employer_id: UUID
    sector_code: str
    region_code: str
    places: int
    starts_on: date
    ends_on: date

    @classmethod
    def of(cls, p: Pledge) -> PledgeView:
        return cls.model_validate(p)


class DemandView(ResponseModel):
    sector_code: str
    region_code: str
    pledged_places: int
    open_positions: int

    @classmethod
    def of(cls, line: DemandLine) -> DemandView:
        return cls.model_validate(line)


class VacancyIn(RequestModel):
    employer_id: UUID
    establishment_id: UUID
    rome_code: Annotated[str, StringConstraints(min_length=5, max_length=5)]
    sector_code: Code
    positions: int = Field(ge=1, le=100)
    hours_per_week: WeeklyHours
    starts_on: date
    contract_type: Code


class VacancyView(ResponseModel):
    id: UUID
    employer_id: UUID
    establishment_id: UUID
    rome_code: str
    sector_code: str
    department_code: str
    region_code: str
    positions: int
    hired: int
    hours_per_week: Decimal
    starts_on: date
    contract_type: str
    status: str

    @classmethod
    def of(cls, v: Vacancy) -> VacancyView:
        return cls.model_validate(v)


class ApplicationIn(RequestModel):
    beneficiary_id: UUID


class RefusalIn(RequestModel):
    reason: Code = Field(description="no_show, not_eligible, barrier, position_filled, declined_by_person, other")


class ApplicationView(ResponseModel):
    id: UUID
    vacancy_id: UUID
    beneficiary_id: UUID
    status: str
    refusal_reason: str | None
    decided_at: datetime | None

    @classmethod
    def of(cls, a: Application) -> ApplicationView:
        return cls.model_validate(a)


class ContractIn(RequestModel):
    employer_id: UUID
    establishment_id: UUID
    beneficiary_id: UUID
    contract_type: Code
    starts_on: date
    planned_end_on: date
    hours_per_week: WeeklyHours
    tutor_ref: StaffRef
    trial_ends_on: date


class DateIn(RequestModel):
    on: date


class BreakIn(RequestModel):
    on: date
    broken_by: Code = Field(description="employer, employee or mutual")
    reason: Code


class ContractView(ResponseModel):
    id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    contract_type: str
    starts_on: date
    planned_end_on: date
    hours_per_week: Decimal
    tutor_ref: str
    trial_ends_on: date
    status: str
    started_on: date | None
    completed_on: date | None
    broken_on: date | None
    broken_by: str | None
    break_reason: str | None
    during_trial: bool | None

    @classmethod
    def of(cls, c: WorkStudyContract) -> ContractView:
        b = c.breach
        return cls(
            id=c.id,
            beneficiary_id=c.beneficiary_id,
            employer_id=c.employer_id,
            establishment_id=c.establishment_id,
            contract_type=c.contract_type.value,
            starts_on=c.starts_on,
            planned_end_on=c.planned_end_on,
            hours_per_week=c.hours_per_week,
            tutor_ref=c.tutor_ref,
            trial_ends_on=c.trial_ends_on,
            status=c.status.value,
            started_on=c.started_on,
            completed_on=c.completed_on,
            broken_on=b.ended_on if b else None,
            broken_by=b.by.value if b else None,
            break_reason=b.reason.value if b else None,
            during_trial=b.during_trial if b else None,
        )


class PlacementIn(RequestModel):
    employer_id: UUID
    establishment_id: UUID
    beneficiary_id: UUID
    starts_on: date
    ends_on: date
    hours: ImmersionHours


class PlacementView(ResponseModel):
    id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    starts_on: date
    ends_on: date
    hours: Decimal

    @classmethod
    def of(cls, p: ImmersionPlacement) -> PlacementView:
        return cls.model_validate(p)


class ObservationIn(RequestModel):
    outcome_code: Code = Field(
        description="cdi, cdd_6m_plus, cdd_short, interim, work_study, training, job_search, other"
    )
    evidence_source: Code = Field(
        description="beneficiary_statement, employer_confirmation, contract_copy, public_employment_data"
    )
    employer_id: UUID | None = None
    weekly_hours: WeeklyHours | None = None


class OutcomeIn(ObservationIn):
    beneficiary_id: UUID
    exit_on: date


class FollowUpDoneIn(ObservationIn):
    observed_on: date


class ObservationView(ResponseModel):
    outcome_code: str
    evidence_source: str
    employer_id: UUID | None
    weekly_hours: Decimal | None
    counts_as_employed: bool

    @classmethod
    def of(cls, o: Observation) -> ObservationView:
        return cls(
            outcome_code=o.code.value,
            evidence_source=o.evidence.value,
            employer_id=o.employer_id,
            weekly_hours=o.weekly_hours,
            counts_as_employed=o.employed,
        )


class FollowUpView(ResponseModel):
    id: UUID
    beneficiary_id: UUID
    months_after_exit: int
    due_on: date
    status: str
    attempts: int
    observed_on: date | None
    observation: ObservationView | None

    @classmethod
    def of(cls, f: FollowUp) -> FollowUpView:
        return cls(
            id=f.id,
            beneficiary_id=f.beneficiary_id,
            months_after_exit=f.months_after_exit,
            due_on=f.due_on,
            status=f.status.value,
            attempts=len(f.attempts),
            observed_on=f.observed_on,
            observation=ObservationView.of(f.observation) if f.observation else None,
        )


class FollowUpLineView(ResponseModel):
    id: UUID
    beneficiary_id: UUID
    months_after_exit: int
    due_on: date
    status: str
    overdue: bool

    @classmethod
    def of(cls, line: FollowUpLine) -> FollowUpLineView:
        return cls.model_validate(line)


class FollowUpCount(ResponseModel):
    months_after_exit: int
    status: str
    count: int
    overdue: int


class AwaitingOutcomeView(ResponseModel):
    beneficiary_id: UUID
    step: int | None
    state: str
    left_on: date | None
    withdrawal_reason: str | None
    qualification_result_in: bool

    @classmethod
    def of(cls, path: PersonPath) -> AwaitingOutcomeView:
        return cls(
            beneficiary_id=path.beneficiary_id,
            step=path.step,
            state=path.state.value,
            left_on=path.left_on,
            withdrawal_reason=path.withdrawal_reason,
            qualification_result_in=path.qualification_result_in,
        )


class OutcomeView(ResponseModel):
    beneficiary_id: UUID
    exit_on: date
    observation: ObservationView
    recorded_at: datetime
    follow_ups: list[FollowUpView]

    @classmethod
    def of(cls, outcome: ExitOutcome, follow_ups: list[FollowUp]) -> OutcomeView:
        return cls(
            beneficiary_id=outcome.beneficiary_id,
            exit_on=outcome.exit_on,
            observation=ObservationView.of(outcome.observation),
            recorded_at=outcome.recorded_at,
            follow_ups=[FollowUpView.of(f) for f in follow_ups],
        )
