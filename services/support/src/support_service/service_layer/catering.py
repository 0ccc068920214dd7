"""Catering: meals served recorded by the support provider, and the monthly reconciliation of meals owed (lunch on
days present at training, full board on nights housed) against meals served."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.access import can_read_file, can_write_file
from support_service.domain.catering import Month, Reconciliation, reconcile
from support_service.domain.errors import AccessDenied, NotFound
from support_service.domain.vocabulary import Meal
from support_service.service_layer.access import actor_of


@dataclass(frozen=True)
class ServedRow:
    beneficiary_id: UUID
    served_on: date
    meal: Meal
    count: int


async def record_served(uow: SupportUnitOfWork, principal: Principal, source: str, rows: Sequence[ServedRow]) -> int:
    """Every row must be about a person the caller supports (an open file of its own); all or nothing."""
    actor = actor_of(principal)
    for person in sorted({row.beneficiary_id for row in rows}):
        if not any(can_write_file(actor, f.support_org_id) for f in await uow.files.open_files_of(person)):
            raise AccessDenied("record meals for a person this organisation does not support")
    now = datetime.now(UTC)
    await uow.catering.record(
        [
            {
                "beneficiary_id": row.beneficiary_id,
                "served_on": row.served_on,
                "meal": row.meal.value,
                "source": source,
                "count": row.count,
                "recorded_by_org_id": actor.org_id,
                "recorded_at": now,
            }
            for row in rows
        ]
    )
    uow.audit(principal, "record_meals", "meals_served", source, reason=f"rows:{len(rows)}")
    return len(rows)


async def reconciliation(
    uow: SupportUnitOfWork, principal: Principal, beneficiary_id: UUID, month: Month
) -> Reconciliation:
    actor = actor_of(principal)
    files = await uow.files.files_of(beneficiary_id)
    supporting = frozenset(f.support_org_id for f in files)
    if not files or not can_read_file(actor, supporting):
        raise NotFound("person", beneficiary_id)
    days = month.days
    last = days.end - timedelta(days=1)
    present = await uow.training.days_present(beneficiary_id, days.start, last)
    housed = await uow.housing.stays_of(beneficiary_id, days)
    served = await uow.catering.served(beneficiary_id, days.start, last)
    uow.audit(principal, "reconcile_meals", "beneficiary", beneficiary_id)
    return reconcile(beneficiary_id, month, present, housed, served)
