"""Needs and the actions taken against them. A medical need's code (and its actions' type and partner) is sealed
with the person's key, readable only by the medical role of the file's organisation, and published nowhere."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.envelope import Envelope
from support_service.adapters.needs import StoredAction, StoredNeed
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.access import can_read_need, can_write_need
from support_service.domain.actor import Actor
from support_service.domain.errors import AccessDenied, IllegalTransition, NotFound
from support_service.domain.need import Action, Need
from support_service.domain.taxonomy import category_of
from support_service.domain.vocabulary import ActionType, NeedCategory, Partner, Priority
from support_service.events.outgoing import to_contract
from support_service.service_layer import sealing
from support_service.service_layer.access import actor_of, readable_file, supporting_orgs

NEED_CODE = "need.code"
ACTION_DETAILS = "action.details"


@dataclass(frozen=True)
class ActionView:
    id: UUID
    need_id: UUID
    type: ActionType
    partner: Partner | None
    on: date
    duration_minutes: int
    follow_up_on: date | None
    recorded_at: datetime


async def identify(
    uow: SupportUnitOfWork,
    envelope: Envelope | None,
    principal: Principal,
    file_id: UUID,
    code: str,
    priority: Priority,
    due_on: date | None,
) -> Need:
    actor = actor_of(principal)
    support_file, _ = await readable_file(uow, actor, file_id)
    medical = category_of(code) is NeedCategory.MEDICAL
    if support_file.is_closed:
        raise IllegalTransition("support file", support_file.status, "identify_need", support_file.allowed_actions())
    if not can_write_need(actor, medical=medical, file_org_id=support_file.support_org_id):
        raise AccessDenied("record this need on this file")
    need, opened = Need.identify(
        need_id=uuid.uuid4(),
        file_id=file_id,
        beneficiary_id=support_file.beneficiary_id,
        code=code,
        priority=priority,
        due_on=due_on,
        actor=actor,
        at=datetime.now(UTC),
    )
    sealed = None
    if medical:
        sealed = await sealing.seal(uow, envelope, need.beneficiary_id, NEED_CODE, need.id, need.code)
    stored = StoredNeed(
        need.id,
        file_id,
        need.beneficiary_id,
        medical,
        None if medical else need.code,
        sealed,
        priority,
        due_on,
        need.status,
        need.history[0].at,
    )
    await uow.needs.add(stored, need.history)
    uow.publish(*(to_contract(event) for event in opened))
    uow.audit(principal, "identify", "need", need.id)
    return need


async def as_need(uow: SupportUnitOfWork, envelope: Envelope | None, stored: StoredNeed) -> Need:
    code = stored.code
    if stored.medical:
        assert stored.code_sealed is not None
        code = await sealing.unseal(uow, envelope, stored.beneficiary_id, NEED_CODE, stored.id, stored.code_sealed)
    assert code is not None
    return Need(
        stored.id,
        stored.file_id,
        stored.beneficiary_id,
        code,
        stored.priority,
        stored.due_on,
        stored.status,
    )


async def _readable(
    uow: SupportUnitOfWork, envelope: Envelope | None, actor: Actor, need_id: UUID
) -> tuple[Need, UUID]:
    """The need and its file's organisation; a need the caller may not read (a medical one included) is not found."""
    stored = await uow.needs.get(need_id)
    if stored is None:
        raise NotFound("need", need_id)
    support_file = await uow.files.get(stored.file_id)
    assert support_file is not None
    supporting = await supporting_orgs(uow, support_file)
    if not can_read_need(
        actor, medical=stored.medical, file_org_id=support_file.support_org_id, supporting_org_ids=supporting
    ):
        raise NotFound("need", need_id)
    return await as_need(uow, envelope, stored), support_file.support_org_id


async def _writable(uow: SupportUnitOfWork, envelope: Envelope | None, actor: Actor, need_id: UUID) -> Need:
    need, file_org = await _readable(uow, envelope, actor, need_id)
    if not can_write_need(actor, medical=need.is_medical, file_org_id=file_org):
        raise AccessDenied("change this need")
    return need


async def get(uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, need_id: UUID) -> Need:
    need, _ = await _readable(uow, envelope, actor_of(principal), need_id)
    uow.audit(principal, "read", "need", need_id)
    return need


async def of_file(uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, file_id: UUID) -> list[Need]:
    """The file's needs the caller may read: a medical need is not even listed for anyone else."""
    actor = actor_of(principal)
    support_file, supporting = await readable_file(uow, actor, file_id)
    found = []
    for stored in await uow.needs.of_file(file_id):
        if can_read_need(
            actor, medical=stored.medical, file_org_id=support_file.support_org_id, supporting_org_ids=supporting
        ):
            found.append(await as_need(uow, envelope, stored))
    uow.audit(principal, "list", "need", file_id)
    return found


async def move(
    uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, need_id: UUID, action: str
) -> Need:
    actor = actor_of(principal)
    need = await _writable(uow, envelope, actor, need_id)
    now = datetime.now(UTC)
    if action == "start":
        need.start(actor, now)
        events = []
    elif action == "resolve":
        events = need.resolve(actor, now)
    else:
        events = need.abandon(actor, now)
    await uow.needs.update_state(need.id, need.status, need.priority, need.due_on, need.history)
    uow.publish(*(to_contract(event) for event in events))
    uow.audit(principal, action, "need", need_id)
    return need


async def record_action(
    uow: SupportUnitOfWork,
    envelope: Envelope | None,
    principal: Principal,
    need_id: UUID,
    *,
    type_: ActionType,
    on: date,
    duration_minutes: int,
    partner: Partner | None,
    follow_up_on: date | None,
) -> ActionView:
    actor = actor_of(principal)
    need = await _writable(uow, envelope, actor, need_id)
    now = datetime.now(UTC)
    action = Action(uuid.uuid4(), type_, on, duration_minutes, partner, follow_up_on, actor.subject, now)
    need.record_action(action)
    sealed = None
    if need.is_medical:
        details = json.dumps({"type": type_.value, "partner": partner.value if partner else None})
        sealed = await sealing.seal(uow, envelope, need.beneficiary_id, ACTION_DETAILS, action.id, details)
    await uow.needs.add_action(
        StoredAction(
            action.id,
            need_id,
            None if need.is_medical else type_.value,
            None if need.is_medical or partner is None else partner.value,
            sealed,
            on,
            duration_minutes,
            follow_up_on,
            actor.subject,
            now,
        )
    )
    uow.audit(principal, "record_action", "need", need_id)
    return ActionView(action.id, need_id, type_, partner, on, duration_minutes, follow_up_on, now)


async def actions_of(
    uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, need_id: UUID
) -> list[ActionView]:
    need, _ = await _readable(uow, envelope, actor_of(principal), need_id)
    views = [await action_view(uow, envelope, need.beneficiary_id, a) for a in await uow.needs.actions_of(need_id)]
    uow.audit(principal, "list", "action", need_id)
    return views


async def action_view(
    uow: SupportUnitOfWork, envelope: Envelope | None, beneficiary_id: UUID, stored: StoredAction
) -> ActionView:
    """An action as its readers see it: an action on a medical need has its type and partner opened here."""
    type_, partner = stored.type, stored.partner
    if stored.details_sealed is not None:
        details = await sealing.unseal(uow, envelope, beneficiary_id, ACTION_DETAILS, stored.id, stored.details_sealed)
        opened = json.loads(details)
        type_, partner = opened["type"], opened["partner"]
    assert type_ is not None
    return ActionView(
        stored.id,
        stored.need_id,
        ActionType(type_),
        Partner(partner) if partner else None,
        stored.on,
        stored.duration_minutes,
        stored.follow_up_on,
        stored.recorded_at,
    )
