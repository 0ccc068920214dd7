"""The lists a referent works from: needs overdue and follow-ups due, across the files the caller may read.

A support provider sees its own open files (medical needs only with the medical role), the operator every
organisation's non-medical needs; everybody else sees nothing.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.envelope import Envelope
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.actor import OrgKind
from support_service.domain.need import Need
from support_service.service_layer.access import actor_of
from support_service.service_layer.needs import ActionView, action_view, as_need


def _scope(principal: Principal) -> tuple[bool, UUID | None, bool]:
    """(may see anything, organisation filter, medical needs included)."""
    actor = actor_of(principal)
    if not actor.reads():
        return False, None, False
    if actor.org_kind is OrgKind.PROGRAMME_OPERATOR:
        return True, None, False
    if actor.org_kind is OrgKind.SUPPORT_PROVIDER:
        return True, actor.org_id, actor.is_medical()
    return False, None, False


async def overdue_needs(
    uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, today: date, limit: int
) -> list[Need]:
    allowed, org, medical = _scope(principal)
    if not allowed:
        return []
    found = [
        await as_need(uow, envelope, n) for n in await uow.needs.overdue(org, medical=medical, today=today, limit=limit)
    ]
    uow.audit(principal, "list_overdue", "need", org or "*")
    return found


async def follow_ups(
    uow: SupportUnitOfWork, envelope: Envelope | None, principal: Principal, first: date, last: date, limit: int
) -> list[ActionView]:
    allowed, org, medical = _scope(principal)
    if not allowed:
        return []
    views = [
        await action_view(uow, envelope, need.beneficiary_id, action)
        for action, need in await uow.needs.follow_ups(org, medical=medical, first=first, last=last, limit=limit)
    ]
    uow.audit(principal, "list_follow_ups", "action", org or "*")
    return views
