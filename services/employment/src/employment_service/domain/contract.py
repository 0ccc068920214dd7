"""Work-study contracts (step 4): signed with one of the employer's establishments, one running per person."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID, uuid4

from employment_service.domain.employer import Establishment
from employment_service.domain.errors import ActiveContractExists, IllegalTransition, InvalidValue, Unprocessable
from employment_service.domain.events import ContractEnded, ContractSigned, ContractStarted, DomainEvent
from employment_service.domain.identifiers import staff_reference
from employment_service.domain.person_path import PathState, PersonPath
from employment_service.domain.quantities import as_utc, weekly_hours
from employment_service.domain.vocabulary import BreakingParty, BreakReason, ContractStatus, ContractType

# Step 4 is the work-study; the contract is often signed as step 3 ends, before enrolment starts step 4.
WORK_STUDY_FROM_STEP = 3
RUNNING_STATUSES = frozenset({ContractStatus.SIGNED, ContractStatus.ACTIVE})

# A signed contract the person never starts is broken too (trial not begun counts as during the trial).
_ALLOWED_FROM: Mapping[str, frozenset[ContractStatus]] = MappingProxyType(
    {
        "start": frozenset({ContractStatus.SIGNED}),
        "complete": frozenset({ContractStatus.ACTIVE}),
        "break": RUNNING_STATUSES,
    }
)


@dataclass(frozen=True)
class Breach:
    """How a contract ended early: when, by whom, why, and whether the trial period was still running."""

    ended_on: date
    by: BreakingParty
    reason: BreakReason
    during_trial: bool


@dataclass
class WorkStudyContract:
    id: UUID
    beneficiary_id: UUID
    employer_id: UUID
    establishment_id: UUID
    contract_type: ContractType
    starts_on: date
    planned_end_on: date
    hours_per_week: Decimal
    tutor_ref: str
    trial_ends_on: date
    status: ContractStatus = ContractStatus.SIGNED
    started_on: date | None = None
    completed_on: date | None = None
    breach: Breach | None = None

    @classmethod
    def sign(
        cls,
        *,
        path: PersonPath,
        establishment: Establishment,
        contract_type: ContractType,
        starts_on: date,
        planned_end_on: date,
        hours_per_week: Decimal,
        tutor_ref: str,
        trial_ends_on: date,
        contracts_of_person: Iterable["WorkStudyContract"],
        at: datetime,
        id: UUID | None = None,
    ) -> tuple["WorkStudyContract", list[DomainEvent]]:
        beneficiary_id = path.beneficiary_id
        if path.state is not PathState.ACTIVE or (path.step or 0) < WORK_STUDY_FROM_STEP:
            raise Unprocessable("step_3_or_4_required", "a work-study contract is signed from step 3 on, on the path")
        ensure_no_running_contract(beneficiary_id, contracts_of_person)
        if planned_end_on <= starts_on:
            raise InvalidValue("planned_end_on", "must be after starts_on")
        if not starts_on <= trial_ends_on < planned_end_on:
            raise InvalidValue("trial_ends_on", "must fall between the start and the planned end")
        contract = cls(
            id=id or uuid4(),
            beneficiary_id=beneficiary_id,
            employer_id=establishment.employer_id,
            establishment_id=establishment.id,
            contract_type=contract_type,
            starts_on=starts_on,
            planned_end_on=planned_end_on,
            hours_per_week=weekly_hours(hours_per_week),
            tutor_ref=staff_reference(tutor_ref, "tutor_ref"),
            trial_ends_on=trial_ends_on,
        )
        signed = ContractSigned(
            contract_id=contract.id,
            beneficiary_id=beneficiary_id,
            employer_id=contract.employer_id,
            establishment_id=contract.establishment_id,
            contract_type=contract_type,
            starts_on=starts_on,
            planned_end_on=planned_end_on,
            hours_per_week=contract.hours_per_week,
            trial_ends_on=trial_ends_on,
            occurred_at=as_utc(at),
        )
        return contract, [signed]

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    def start(self, on: date, at: datetime) -> list[DomainEvent]:
        self._require("start")
        if on < self.starts_on:
            raise InvalidValue("started_on", "cannot be before the contract's start date")
        self.status = ContractStatus.ACTIVE
        self.started_on = on
        return [
            ContractStarted(
                contract_id=self.id, beneficiary_id=self.beneficiary_id, started_on=on, occurred_at=as_utc(at)
            )
        ]

    def complete(self, on: date, at: datetime) -> list[DomainEvent]:
        self._require("complete")
        self._check_end(on, "completed_on")
        self.status = ContractStatus.COMPLETED
        self.completed_on = on
        return [self._ended(on, at)]

    def break_off(self, on: date, by: BreakingParty, reason: BreakReason, at: datetime) -> list[DomainEvent]:
        self._require("break")
        self._check_end(on, "ended_on")
        self.status = ContractStatus.BROKEN
        self.breach = Breach(on, by, reason, during_trial=self.started_on is None or on <= self.trial_ends_on)
        return [self._ended(on, at)]

    def _check_end(self, on: date, field: str) -> None:
        if on < (self.started_on or self.starts_on):
            raise InvalidValue(field, "cannot be before the contract started")

    def _ended(self, on: date, at: datetime) -> ContractEnded:
        breach = self.breach
        return ContractEnded(
            contract_id=self.id,
            beneficiary_id=self.beneficiary_id,
            employer_id=self.employer_id,
            status=self.status,
            ended_on=on,
            broken_by=breach.by if breach else None,
            break_reason=breach.reason if breach else None,
            during_trial=breach.during_trial if breach else None,
            occurred_at=as_utc(at),
        )

    def _require(self, action: str) -> None:
        if self.status not in _ALLOWED_FROM[action]:
            allowed = tuple(name for name, sources in _ALLOWED_FROM.items() if self.status in sources)
            raise IllegalTransition("work-study contract", self.status, action, allowed)


def ensure_no_running_contract(beneficiary_id: UUID, contracts: Iterable[WorkStudyContract]) -> None:
    """One work-study contract at a time per person: a new one may be signed once the last has ended."""
    for contract in contracts:
        if contract.beneficiary_id == beneficiary_id and contract.is_running:
            raise ActiveContractExists(beneficiary_id, contract.id)
