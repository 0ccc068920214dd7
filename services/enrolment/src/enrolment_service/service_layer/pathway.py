"""Moving a person along the pathway: each change is checked by the domain and published."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.beneficiary import Beneficiary
from enrolment_service.domain.events import DomainEvent
from enrolment_service.domain.pathway import PrerequisitesRecord
from enrolment_service.domain.vocabulary import PathwayAction, WithdrawalReason
from enrolment_service.service_layer import access
from enrolment_service.service_layer.beneficiaries import actor_of, load
from enrolment_service.service_layer.publishing import publish
from hopekit.identity.principal import Principal


async def transition(
    uow: EnrolmentUnitOfWork,
    principal: Principal,
    beneficiary_id: UUID,
    action: PathwayAction,
    *,
    reason_code: str | None = None,
    withdrawal_reason: WithdrawalReason | None = None,
) -> tuple[Beneficiary, access.View]:
    """The actions that need nothing but a reason: starts, completion, hold, resume, withdrawal."""
    beneficiary = await load(uow, beneficiary_id, for_update=True)
    await access.ensure_may_act(uow, principal, beneficiary, action)
    pathway, actor, now = beneficiary.pathway, actor_of(principal), datetime.now(UTC)
    events: list[DomainEvent]
    match action:
        case PathwayAction.START_PREREQUISITES:
            events = pathway.start_prerequisites(actor, now)
        case PathwayAction.START_FRENCH_QUALIFICATION:
            events = pathway.start_french_qualification(actor, now)
        case PathwayAction.START_TRADE_QUALIFICATION:
            events = pathway.start_trade_qualification(actor, now)
        case PathwayAction.COMPLETE:
            events = pathway.complete(actor, now)
        case PathwayAction.PUT_ON_HOLD:
            events = pathway.put_on_hold(reason_code or "unspecified", actor, now)
        case PathwayAction.RESUME:
            events = pathway.resume(actor, now)
        case PathwayAction.WITHDRAW:
            events = pathway.withdraw(withdrawal_reason or WithdrawalReason.OTHER, actor, now)
        case _:
            raise ValueError(f"{action.value} has its own endpoint")
    return await _save(uow, principal, beneficiary, events, action)


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
    await uow.beneficiaries.save(beneficiary)
    publish(uow, events)
    uow.audit(principal, action.value, "beneficiary", beneficiary.id)
    return beneficiary, await access.view_of(uow, principal, beneficiary)
