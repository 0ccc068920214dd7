"""Domain events to the published contracts (hope_contracts.employment): codes, dates and ids only."""

from functools import singledispatch

from employment_service.domain import events as domain
from hope_contracts import EventContract
from hope_contracts import employment as contract


@singledispatch
def to_contract(event: domain.DomainEvent) -> EventContract:
    raise TypeError(f"no published contract for {type(event).__name__}")


@to_contract.register
def _(event: domain.EmployerRegistered) -> EventContract:
    return contract.EmployerRegistered(
        employer_id=event.employer_id,
        naf_code=event.naf_code,
        akto_member=event.akto_member,
        sector_codes=event.sector_codes,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.VacancyPublished) -> EventContract:
    return contract.VacancyPublished(
        vacancy_id=event.vacancy_id,
        employer_id=event.employer_id,
        establishment_id=event.establishment_id,
        rome_code=event.rome_code,
        sector_code=event.sector_code,
        department_code=event.department_code,
        region_code=event.region_code,
        positions=event.positions,
        hours_per_week=event.hours_per_week,
        starts_on=event.starts_on,
        contract_type=event.contract_type.value,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.VacancyStatusChanged) -> EventContract:
    return contract.VacancyStatusChanged(
        vacancy_id=event.vacancy_id,
        status=event.status.value,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.ApplicationDecided) -> EventContract:
    return contract.ApplicationDecided(
        application_id=event.application_id,
        vacancy_id=event.vacancy_id,
        beneficiary_id=event.beneficiary_id,
        status=event.status.value,
        refusal_reason=event.refusal_reason.value if event.refusal_reason else None,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.ContractSigned) -> EventContract:
    return contract.ContractSigned(
        contract_id=event.contract_id,
        beneficiary_id=event.beneficiary_id,
        employer_id=event.employer_id,
        establishment_id=event.establishment_id,
        contract_type=event.contract_type.value,
        starts_on=event.starts_on,
        planned_end_on=event.planned_end_on,
        hours_per_week=event.hours_per_week,
        trial_ends_on=event.trial_ends_on,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.ContractStarted) -> EventContract:
    return contract.ContractStarted(
        contract_id=event.contract_id,
        beneficiary_id=event.beneficiary_id,
        started_on=event.started_on,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.ContractEnded) -> EventContract:
    return contract.ContractEnded(
        contract_id=event.contract_id,
        beneficiary_id=event.beneficiary_id,
        employer_id=event.employer_id,
        status=event.status.value,
        ended_on=event.ended_on,
        broken_by=event.broken_by.value if event.broken_by else None,
        break_reason=event.break_reason.value if event.break_reason else None,
        during_trial=event.during_trial,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.PlacementMade) -> EventContract:
    return contract.PlacementMade(
        placement_id=event.placement_id,
        beneficiary_id=event.beneficiary_id,
        employer_id=event.employer_id,
        establishment_id=event.establishment_id,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        hours=event.hours,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.OutcomeRecorded) -> EventContract:
    return contract.OutcomeRecorded(
        beneficiary_id=event.beneficiary_id,
        outcome_code=event.outcome_code.value,
        exit_on=event.exit_on,
        employer_id=event.employer_id,
        weekly_hours=event.weekly_hours,
        evidence_source=event.evidence_source.value,
        counts_as_employed=event.counts_as_employed,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.FollowUpRecorded) -> EventContract:
    return contract.FollowUpRecorded(
        follow_up_id=event.follow_up_id,
        beneficiary_id=event.beneficiary_id,
        months_after_exit=event.months_after_exit,
        due_on=event.due_on,
        status=event.status.value,
        attempts=event.attempts,
        observed_on=event.observed_on,
        outcome_code=event.outcome_code.value if event.outcome_code else None,
        evidence_source=event.evidence_source.value if event.evidence_source else None,
        counts_as_employed=event.counts_as_employed,
        occurred_at=event.occurred_at,
    )
