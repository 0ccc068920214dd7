"""Registering, reading, consenting and erasing beneficiaries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from enrolment_service.adapters.beneficiaries import BeneficiaryFilter
from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.domain.actor import Actor
from enrolment_service.domain.beneficiary import Beneficiary, ConsentRecord, Identity
from enrolment_service.domain.errors import DuplicateBeneficiary
from enrolment_service.domain.vocabulary import ConsentPurpose, Track
from enrolment_service.service_layer import access
from enrolment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


def actor_of(principal: Principal) -> Actor:
    return Actor(subject=principal.subject, org_id=principal.org_id)


async def register(uow: EnrolmentUnitOfWork, principal: Principal, identity: Identity, track: Track) -> Beneficiary:
    if principal.org_kind not in (OrgKind.IMMIGRATION_OFFICE, OrgKind.PROGRAMME_OPERATOR) or not principal.can_write():
        raise Forbidden("beneficiaries are registered by OFII or the programme operator, with the writer role")
    existing = await uow.beneficiaries.find_duplicate(identity)
    if existing is not None:
        raise DuplicateBeneficiary(existing)
    beneficiary, registered = Beneficiary.register(
        beneficiary_id=uuid.uuid4(), identity=identity, track=track, actor=actor_of(principal), at=datetime.now(UTC)
    )
    try:
        await uow.beneficiaries.add(beneficiary)
    except IntegrityError as error:
        # A concurrent registration of the same person won the unique index; report it like the check above.
        raise DuplicateBeneficiary(await _racing_duplicate(uow, identity)) from error
    publish(uow, [registered])
    uow.audit(principal, "create", "beneficiary", beneficiary.id)
    return beneficiary


async def _racing_duplicate(uow: EnrolmentUnitOfWork, identity: Identity) -> UUID:
    await uow.rollback()
    found = await uow.beneficiaries.find_duplicate(identity)
    return found if found is not None else UUID(int=0)


async def read(uow: EnrolmentUnitOfWork, principal: Principal, beneficiary_id: UUID) -> tuple[Beneficiary, access.View]:
    beneficiary = await load(uow, beneficiary_id)
    view = await access.view_of(uow, principal, beneficiary)
    uow.audit(principal, "read", "beneficiary", beneficiary.id)
    return beneficiary, view


async def search(
    uow: EnrolmentUnitOfWork, principal: Principal, criteria: BeneficiaryFilter, limit: int
) -> tuple[list[Beneficiary], access.View]:
    """A page of ``limit`` people and, when more follow, one more (which tells there is a next page and is
    not returned, so not recorded as read)."""
    scoped = await access.list_scope(uow, principal, criteria)
    found = await uow.beneficiaries.search(scoped, limit + 1)
    for beneficiary in found[:limit]:
        uow.audit(principal, "read", "beneficiary", beneficiary.id)
    return found, access.list_view(principal)


async def record_consent(
    uow: EnrolmentUnitOfWork, principal: Principal, beneficiary_id: UUID, purpose: ConsentPurpose, given: bool
) -> ConsentRecord:
    beneficiary = await load(uow, beneficiary_id, for_update=True)
    await access.ensure_may_record_consent(uow, principal, beneficiary)
    record, events = beneficiary.record_consent(purpose, given, actor_of(principal), datetime.now(UTC))
    await uow.beneficiaries.save(beneficiary)
    publish(uow, events)
    uow.audit(principal, "consent", "beneficiary", beneficiary.id, reason=f"{purpose.value}:{given}")
    return record


async def erase(uow: EnrolmentUnitOfWork, principal: Principal, beneficiary_id: UUID) -> Beneficiary:
    beneficiary = await load(uow, beneficiary_id, for_update=True)
    await access.ensure_may_erase(uow, principal, beneficiary)
    events = beneficiary.erase(actor_of(principal), datetime.now(UTC))
    await uow.beneficiaries.save(beneficiary)
    await uow.forget_stored_answers(beneficiary.id)
    publish(uow, events)
    uow.audit(principal, "erase", "beneficiary", beneficiary.id)
    return beneficiary


async def load(uow: EnrolmentUnitOfWork, beneficiary_id: UUID, *, for_update: bool = False) -> Beneficiary:
    beneficiary = await uow.beneficiaries.get(beneficiary_id, for_update=for_update)
    if beneficiary is None:
        raise NotFound.of("beneficiary")
    return beneficiary
