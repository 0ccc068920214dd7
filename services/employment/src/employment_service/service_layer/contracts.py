"""Work-study contracts (step 4): signed, started and ended by the employer (or the operator); read also by
the person's support provider and, once in step 4, by their training provider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.access import may_see_contract, may_see_employer_side
from employment_service.domain.contract import WorkStudyContract
from employment_service.domain.person_path import TRADE_QUALIFICATION_STEP
from employment_service.domain.vocabulary import BreakingParty, BreakReason, ContractType, parse_code
from employment_service.service_layer.access import ensure_reader, ensure_visible, ensure_writable, viewer
from employment_service.service_layer.employers import writable_employer
from employment_service.service_layer.errors import PersonNotOnPath
from employment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


@dataclass(frozen=True)
class ContractForm:
    employer_id: UUID
    establishment_id: UUID
    beneficiary_id: UUID
    contract_type: str
    starts_on: date
    planned_end_on: date
    hours_per_week: Decimal
    tutor_ref: str
    trial_ends_on: date


async def sign(uow: EmploymentUnitOfWork, principal: Principal, form: ContractForm) -> WorkStudyContract:
    """One running contract per person: checked on the locked path row, and held by the partial unique index
    when two signatures race (on SQLite the single writer serialises them)."""
    employer = await writable_employer(uow, principal, form.employer_id)
    establishment = employer.establishment(form.establishment_id)
    path = await uow.paths.get(form.beneficiary_id, lock=True)
    if path is None:
        raise PersonNotOnPath("this person is not known on the path here")
    contract, events = WorkStudyContract.sign(
        path=path,
        establishment=establishment,
        contract_type=parse_code(ContractType, form.contract_type, "contract_type"),
        starts_on=form.starts_on,
        planned_end_on=form.planned_end_on,
        hours_per_week=form.hours_per_week,
        tutor_ref=form.tutor_ref,
        trial_ends_on=form.trial_ends_on,
        contracts_of_person=await uow.contracts.of_person(form.beneficiary_id),
        at=datetime.now(UTC),
    )
    await uow.contracts.add(contract)
    publish(uow, events)
    uow.audit(principal, "create", "work_study_contract", contract.id)
    return contract


async def _load(uow: EmploymentUnitOfWork, principal: Principal, contract_id: UUID) -> tuple[WorkStudyContract, bool]:
    """The contract if the caller may see it, and whether it is on the employer side (who may change it)."""
    contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound.of("work-study contract")
    org = await uow.employers.org_of(contract.employer_id)
    path = await uow.paths.get(contract.beneficiary_id)
    ensure_visible(principal, may_see_contract(viewer(principal), org, path), "work-study contract")
    return contract, may_see_employer_side(viewer(principal), org)


async def get(uow: EmploymentUnitOfWork, principal: Principal, contract_id: UUID) -> WorkStudyContract:
    return (await _load(uow, principal, contract_id))[0]


async def _writable(uow: EmploymentUnitOfWork, principal: Principal, contract_id: UUID) -> WorkStudyContract:
    contract, employer_side = await _load(uow, principal, contract_id)
    if not employer_side:
        raise Forbidden("only the employer or the operator changes a work-study contract")
    ensure_writable(principal, True, "work-study contract")
    return contract


async def start(uow: EmploymentUnitOfWork, principal: Principal, contract_id: UUID, on: date) -> WorkStudyContract:
    contract = await _writable(uow, principal, contract_id)
    publish(uow, contract.start(on, datetime.now(UTC)))
    await uow.contracts.save(contract)
    uow.audit(principal, "start", "work_study_contract", contract.id)
    return contract


async def complete(uow: EmploymentUnitOfWork, principal: Principal, contract_id: UUID, on: date) -> WorkStudyContract:
    contract = await _writable(uow, principal, contract_id)
    publish(uow, contract.complete(on, datetime.now(UTC)))
    await uow.contracts.save(contract)
    uow.audit(principal, "complete", "work_study_contract", contract.id)
    return contract


async def break_off(
    uow: EmploymentUnitOfWork, principal: Principal, contract_id: UUID, on: date, by: str, reason: str
) -> WorkStudyContract:
    contract = await _writable(uow, principal, contract_id)
    party = parse_code(BreakingParty, by, "broken_by")
    why = parse_code(BreakReason, reason, "reason")
    publish(uow, contract.break_off(on, party, why, datetime.now(UTC)))
    await uow.contracts.save(contract)
    uow.audit(principal, "break", "work_study_contract", contract.id, reason=why.value)
    return contract


async def page(
    uow: EmploymentUnitOfWork, principal: Principal, after: UUID | None, limit: int
) -> list[WorkStudyContract]:
    ensure_reader(principal)
    if principal.is_operator:
        return await uow.contracts.page(None, None, after, limit)
    if principal.org_kind is OrgKind.EMPLOYER:
        own = await uow.employers.page(principal.org_id, None, 1)
        return await uow.contracts.page(own[0].id, None, after, limit) if own else []
    if principal.org_kind is OrgKind.SUPPORT_PROVIDER:
        return await uow.contracts.page(None, await uow.paths.supported_by(principal.org_id), after, limit)
    if principal.org_kind is OrgKind.TRAINING_PROVIDER:
        people = await uow.paths.trained_by(principal.org_id, step=TRADE_QUALIFICATION_STEP)
        return await uow.contracts.page(None, people, after, limit)
    raise Forbidden(f"an organisation of kind {principal.org_kind.value} does not read work-study contracts")
