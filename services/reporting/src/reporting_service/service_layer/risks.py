"""The dropout-risk list of a support provider: its own people only, ids and reasons only, each read audited."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from hopekit.identity.principal import Principal
from hopekit.uow import UnitOfWork
from reporting_service.adapters.completeness import active_version
from reporting_service.adapters.queries_risks import RiskSignals
from reporting_service.domain.dropout_risk import PersonAtRisk, at_risk


async def dropout_risks(
    uow: UnitOfWork, principal: Principal, min_signals: int, after: UUID | None, limit: int
) -> list[PersonAtRisk]:
    version = await active_version(uow.connection)
    uow.audit(principal, "read", "dropout_risk_list", principal.org_id)
    if version is None:
        return []
    signals = RiskSignals(uow.connection, version, principal.org_id, datetime.now(UTC).date())
    found = at_risk(
        {
            "open_absence_alert": await signals.open_absence_alerts(),
            "falling_attendance": await signals.falling_attendance(),
            "no_housing_next_week": await signals.no_housing_next_week(),
            "administrative_need_overdue": await signals.administrative_need_overdue(),
        },
        min_signals,
    )
    return [person for person in found if after is None or person.id > after][:limit]
