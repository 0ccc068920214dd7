"""Moving a person along the pathway: each change is checked by the domain and published."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.beneficiary import Beneficiary
from enrolment_service.domain.events import DomainEvent
from enrolment_service.domain.pathway import RESULTS_IN, HoursWaiver, PrerequisitesRecord
from enrolment_service.domain.vocabulary import HoldReason, PathwayAction, Step, WithdrawalReason
from enrolment_service.service_layer import access, path_closure
from enrolment_service.service_layer.beneficiaries import actor_of, load
from enrolment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.errors import Forbidden
from hopekit.identity.principal import Principal


async def transition(
    uow: EnrolmentUnitOfWork,
    principal: Principal,
    beneficiary_id: UUID,
    action: PathwayAction,
    *,
    reason_code: HoldReason | None = None,
    withdrawal_reason: WithdrawalReason | None = None,
    hours_waiver_reason: str | None = None,
) -> tuple[Beneficiary, access.View]:
    """The actions that need nothing but a reason: starts, completion, hold, resume, withdrawal."""
    beneficiary = await load(uow, beneficiary_id, for_update=True)
    await access.ensure_may_act(uow, principal, beneficiary, action)
    waiver = _waiver(principal, hours_waiver_reason)
    pathway, actor, now = beneficiary.pathway, actor_of(principal), datetime.now(UTC)
    events: list[DomainEvent]
    match action:
        case PathwayAction.START_PREREQUISITES:
            events = pathway.start_prerequisites(actor, now)
        case PathwayAction.START_FRENCH_QUALIFICATION:
            events = pathway.start_french_qualification(actor, now)
        case PathwayAction.START_TRADE_QUALIFICATION:
            events = pathway.start_trade_qualification(
                actor, now, starts_on=await _step_4_starts_on(uow, pathway.cohort_id), waiver=waiver
            )
        case PathwayAction.COMPLETE:
            events = pathway.complete(actor, now)
        case PathwayAction.PUT_ON_HOLD:
            events = pathway.put_on_hold(reason_code or HoldReason.OTHER, actor, now)
        case PathwayAction.RESUME:
            events = pathway.resume(actor, now)
        case PathwayAction.WITHDRAW:
            events = pathway.withdraw(withdrawal_reason or WithdrawalReason.OTHER, actor, now)
        case _:
            raise ValueError(f"{action.value} has its own endpoint")
    return await _save(uow, principal, beneficiary, events, action)


def _waiver(principal: Principal, reason: str | None) -> HoursWaiver | None:
    """Only an admin of the programme operator waives step 3's hours: the programme answers for it."""
    if reason is None:
        return None
    if principal.org_kind is not OrgKind.PROGRAMME_OPERATOR or not principal.has_role(Role.ADMIN):
        raise Forbidden("only an admin of the programme operator may waive step 3's hours")
    return HoursWaiver(reason)


async def _step_4_starts_on(uow: EnrolmentUnitOfWork, cohort_id: UUID | None) -> date | None:
    if cohort_id is None:
        return None
    cohort = await uow.cohorts.get(cohort_id)
    return cohort.calendar.starts_on(Step.TRADE_QUALIFICATION) if cohort is not None else None


async def validate_prerequisites(
    uow: EnrolmentUnitOfWork, principal: Principal, beneficiary_id: UUID, record: PrerequisitesRecord
) -> tuple[Beneficiary, access.View]:
    beneficiary = await load(uow, beneficiary_id, for_update=True)
    await access.ensure_may_act(uow, principal, beneficiary, PathwayAction.VALIDATE_PREREQUISITES)
    events = beneficiary.pathway.validate_prerequisites(record, actor_of(principal), datetime.now(UTC))
    return await _save(uow, principal, beneficiary, events, PathwayAction.VALIDATE_PREREQUISITES)


async def choose_sector(
    uow: EnrolmentUnitOfWork, principal: Principal, beneficiary_id: UUID, sector_code: str
) -> tuple[Beneficiary, access.View]:
    beneficiary = await load(uow, beneficiary_id, for_update=True)
    await access.ensure_may_act(uow, principal, beneficiary, PathwayAction.CHOOSE_SECTOR)
    events = beneficiary.pathway.choose_sector(sector_code, actor_of(principal), datetime.now(UTC))
    return await _save(uow, principal, beneficiary, events, PathwayAction.CHOOSE_SECTOR)


async def _save(
    uow: EnrolmentUnitOfWork,
    principal: Principal,
    beneficiary: Beneficiary,
    events: list[DomainEvent],
    action: PathwayAction,
) -> tuple[Beneficiary, access.View]:
    """Stored, published and audited; with the view of the person the caller is given in the answer."""
    completion = await path_closure.after_transition(uow, beneficiary, events)
    await uow.beneficiaries.save(beneficiary)
    publish(uow, [*events, *completion])
    uow.audit(principal, action.value, "beneficiary", beneficiary.id)
    if completion:
        uow.audit(principal, PathwayAction.COMPLETE.value, "beneficiary", beneficiary.id, reason=RESULTS_IN)
    return beneficiary, await access.view_of(uow, principal, beneficiary)
