"""Absence alerts as people work through them: listed within the caller's courses, resolved once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from hopekit.errors import NotFound
from hopekit.identity.principal import Principal
from training_service.adapters.alerts import Alert, AlertFilter
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.errors import AlertAlreadyResolved
from training_service.domain.vocabulary import AlertStatus
from training_service.service_layer import access, courses


async def search(uow: TrainingUnitOfWork, principal: Principal, criteria: AlertFilter, limit: int) -> list[Alert]:
    """A provider sees the alerts of the courses it delivers, OFII those of step 1, the operator all."""
    scope = access.list_scope(principal)
    if criteria.course_id is not None:
        # A course the caller may not see is answered 404, as when it is read directly.
        await courses.load(uow, principal, criteria.course_id)
    criteria = replace(criteria, provider_org_id=scope.provider_org_id, step=scope.step)
    return await uow.alerts.search(criteria, limit)


async def resolve(uow: TrainingUnitOfWork, principal: Principal, alert_id: UUID) -> Alert:
    alert = await uow.alerts.get(alert_id)
    if alert is None:
        raise NotFound.of("alert")
    await courses.load(uow, principal, alert.course_id, write=True)
    if alert.resolved_at is not None:
        raise AlertAlreadyResolved(alert.resolved_at)
    now = datetime.now(UTC)
    if not await uow.alerts.resolve(alert.id, now, principal.subject):
        # Someone resolved it between our read and our update.
        raced = await uow.alerts.get(alert_id)
        raise AlertAlreadyResolved(raced.resolved_at if raced and raced.resolved_at else now)
    uow.audit(principal, "resolve", "absence_alert", alert.id)
    return replace(alert, status=AlertStatus.RESOLVED, resolved_at=now)
