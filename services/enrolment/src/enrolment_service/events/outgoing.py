"""Domain events to the published contracts (hope_contracts.enrolment): codes and ids only."""

from functools import singledispatch

from enrolment_service.domain import events as domain
from hope_contracts import EventContract
from hope_contracts import enrolment as contract


@singledispatch
def to_contract(event: domain.DomainEvent) -> EventContract:
    raise TypeError(f"no published contract for {type(event).__name__}")


@to_contract.register
def _(event: domain.BeneficiaryRegistered) -> EventContract:
    return contract.BeneficiaryRegistered(
        beneficiary_id=event.beneficiary_id,
        track=event.track.value,
        protection_status=event.protection_status.value,
        registered_by_org_id=event.registered_by_org_id,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.PrerequisitesValidated) -> EventContract:
    return contract.PrerequisitesValidated(
        beneficiary_id=event.beneficiary_id,
        ofii_hours=event.ofii_hours,
        a1_attested_on=event.a1_attested_on,
        test=event.test.value,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.SectorChosen) -> EventContract:
    return contract.SectorChosen(
        beneficiary_id=event.beneficiary_id, sector_code=event.sector_code, occurred_at=event.occurred_at
    )


@to_contract.register
def _(event: domain.StepStarted) -> EventContract:
    return contract.StepStarted(
        beneficiary_id=event.beneficiary_id,
        step=int(event.step),
        track=event.track.value,
        cohort_id=event.cohort_id,
        sector_code=event.sector_code,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.StepCompleted) -> EventContract:
    return contract.StepCompleted(
        beneficiary_id=event.beneficiary_id,
        step=int(event.step),
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.PathwayPutOnHold) -> EventContract:
    return contract.PathwayPutOnHold(
        beneficiary_id=event.beneficiary_id,
        from_status=event.from_status.value,
        reason_code=event.reason_code,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.PathwayResumed) -> EventContract:
    return contract.PathwayResumed(
        beneficiary_id=event.beneficiary_id, to_status=event.to_status.value, occurred_at=event.occurred_at
    )


@to_contract.register
def _(event: domain.BeneficiaryWithdrawn) -> EventContract:
    return contract.BeneficiaryWithdrawn(
        beneficiary_id=event.beneficiary_id,
        reason=event.reason.value,
        from_status=event.from_status.value,
        last_step=int(event.last_step) if event.last_step is not None else None,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.PathwayCompleted) -> EventContract:
    return contract.PathwayCompleted(beneficiary_id=event.beneficiary_id, occurred_at=event.occurred_at)


@to_contract.register
def _(event: domain.BeneficiaryErased) -> EventContract:
    return contract.BeneficiaryErased(beneficiary_id=event.beneficiary_id, occurred_at=event.occurred_at)


@to_contract.register
def _(event: domain.CohortCreated) -> EventContract:
    return contract.CohortCreated(
        cohort_id=event.cohort_id,
        sector_code=event.sector_code,
        region=event.region,
        track=event.track.value,
        training_provider_org_id=event.training_provider_org_id,
        support_provider_org_id=event.support_provider_org_id,
        capacity=event.capacity,
        occurred_at=event.occurred_at,
    )


@to_contract.register
def _(event: domain.CohortMemberAdded) -> EventContract:
    return contract.CohortMemberAdded(
        cohort_id=event.cohort_id, beneficiary_id=event.beneficiary_id, occurred_at=event.occurred_at
    )
