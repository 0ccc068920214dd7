"""Referrals to outside services; one tied to a medical need or a health partner is published nowhere."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.access import can_read_need, can_write_file
from support_service.domain.errors import AccessDenied, InvalidValue, NotFound
from support_service.domain.referral import Referral
from support_service.domain.vocabulary import Partner
from support_service.events.outgoing import to_contract
from support_service.service_layer.access import actor_of, readable_file, writable_file


async def send(
    uow: SupportUnitOfWork,
    principal: Principal,
    file_id: UUID,
    *,
    partner: Partner,
    need_id: UUID | None,
    shares_information: bool,
    consent_recorded_on: date | None,
) -> Referral:
    actor = actor_of(principal)
    support_file, supporting = await writable_file(uow, actor, file_id)
    need_is_medical = False
    if need_id is not None:
        need = await uow.needs.get(need_id)
        if need is None or need.file_id != file_id:
            raise InvalidValue("need_id", "is not a need of this file")
        if not can_read_need(
            actor, medical=need.medical, file_org_id=support_file.support_org_id, supporting_org_ids=supporting
        ):
            raise InvalidValue("need_id", "is not a need of this file")
        need_is_medical = need.medical
    referral, made = Referral.send(
        referral_id=uuid.uuid4(),
        file_id=file_id,
        beneficiary_id=support_file.beneficiary_id,
        partner=partner,
        need_id=need_id,
        need_is_medical=need_is_medical,
        shares_information=shares_information,
        consent_recorded_on=consent_recorded_on,
        actor=actor,
        at=datetime.now(UTC),
    )
    await uow.referrals.add(referral)
    uow.publish(*(to_contract(event) for event in made))
    uow.audit(principal, "refer", "referral", referral.id)
    return referral


async def move(uow: SupportUnitOfWork, principal: Principal, referral_id: UUID, action: str) -> Referral:
    actor = actor_of(principal)
    referral = await uow.referrals.get(referral_id)
    if referral is None:
        raise NotFound("referral", referral_id)
    support_file, _ = await readable_file(uow, actor, referral.file_id)
    if not can_write_file(actor, support_file.support_org_id):
        raise AccessDenied("change this referral")
    now = datetime.now(UTC)
    {"accept": referral.accept, "refuse": referral.refuse, "complete": referral.complete}[action](actor, now)
    await uow.referrals.save_status(referral)
    uow.audit(principal, action, "referral", referral_id)
    return referral
