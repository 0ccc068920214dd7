"""Follow-ups after exit: the due and overdue lists per organisation, contact attempts, answers, and the
unreachable, who are counted rather than dropped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from employment_service.adapters.outcomes import FollowUpScope
from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.access import may_see_follow_up
from employment_service.domain.follow_up import FollowUp
from employment_service.domain.vocabulary import FollowUpStatus, parse_code
from employment_service.service_layer.access import ensure_reader, ensure_visible, ensure_writable, viewer
from employment_service.service_layer.outcomes import ObservationForm
from employment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


def scope(principal: Principal) -> FollowUpScope:
    """The support provider sees its people's follow-ups; France Travail those of people who consented."""
    ensure_reader(principal)
    if principal.is_operator:
        return FollowUpScope()
    if principal.org_kind is OrgKind.SUPPORT_PROVIDER:
        return FollowUpScope(support_provider_org_id=principal.org_id)
    if principal.org_kind is OrgKind.PUBLIC_EMPLOYMENT:
        return FollowUpScope(public_employment_only=True)
    raise Forbidden(f"an organisation of kind {principal.org_kind.value} does not follow people up")


@dataclass(frozen=True)
class FollowUpLine:
    id: UUID
    beneficiary_id: UUID
    months_after_exit: int
    due_on: date
    status: FollowUpStatus
    overdue: bool


async def page(
    uow: EmploymentUnitOfWork,
    principal: Principal,
    status: str | None,
    overdue: bool,
    due_before: date | None,
    after: tuple[date, UUID] | None,
    limit: int,
) -> list[FollowUpLine]:
    visible = scope(principal)
    today = datetime.now(UTC).date()
    wanted = parse_code(FollowUpStatus, status, "status") if status is not None else None
    if overdue:
        if wanted not in (None, FollowUpStatus.DUE):
            return []
        wanted = FollowUpStatus.DUE
        yesterday = today - timedelta(days=1)
        due_before = min(due_before, yesterday) if due_before is not None else yesterday
    rows = await uow.outcomes.due_page(visible, wanted, due_before, after, limit)
    return [
        FollowUpLine(
            id=row.id,
            beneficiary_id=row.beneficiary_id,
            months_after_exit=row.months_after_exit,
            due_on=row.due_on,
            status=FollowUpStatus(row.status),
            overdue=row.status == FollowUpStatus.DUE.value and row.due_on < today,
        )
        for row in rows
    ]


async def summary(uow: EmploymentUnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    today = datetime.now(UTC).date()
    return [
        {
            "months_after_exit": row.months_after_exit,
            "status": row.status,
            "count": int(row.count),
            "overdue": int(row.overdue or 0),
        }
        for row in await uow.outcomes.summary(scope(principal), today)
    ]


async def _writable(uow: EmploymentUnitOfWork, principal: Principal, follow_up_id: UUID) -> FollowUp:
    follow_up = await uow.outcomes.follow_up(follow_up_id)
    if follow_up is None:
        raise NotFound.of("follow-up")
    path = await uow.paths.get(follow_up.beneficiary_id, lock=True)
    ensure_writable(principal, may_see_follow_up(viewer(principal), path), "follow-up")
    return follow_up


async def get(uow: EmploymentUnitOfWork, principal: Principal, follow_up_id: UUID) -> FollowUp:
    follow_up = await uow.outcomes.follow_up(follow_up_id)
    path = await uow.paths.get(follow_up.beneficiary_id) if follow_up is not None else None
    ensure_visible(principal, follow_up is not None and may_see_follow_up(viewer(principal), path), "follow-up")
    assert follow_up is not None
    return follow_up


async def attempt(uow: EmploymentUnitOfWork, principal: Principal, follow_up_id: UUID) -> FollowUp:
    follow_up = await _writable(uow, principal, follow_up_id)
    now = datetime.now(UTC)
    follow_up.record_failed_attempt(now)
    await uow.outcomes.add_attempt(follow_up.id, now, principal.org_id)
    uow.audit(principal, "attempt", "follow_up", follow_up.id)
    return follow_up


async def complete(
    uow: EmploymentUnitOfWork, principal: Principal, follow_up_id: UUID, observed_on: date, form: ObservationForm
) -> FollowUp:
    follow_up = await _writable(uow, principal, follow_up_id)
    observation = form.parse()
    if observation.employer_id is not None and await uow.employers.get(observation.employer_id) is None:
        raise NotFound.of("employer")
    publish(uow, follow_up.complete(observation, observed_on, datetime.now(UTC)))
    await uow.outcomes.save_follow_up(follow_up)
    uow.audit(principal, "complete", "follow_up", follow_up.id)
    return follow_up


async def unreachable(uow: EmploymentUnitOfWork, principal: Principal, follow_up_id: UUID) -> FollowUp:
    follow_up = await _writable(uow, principal, follow_up_id)
    publish(uow, follow_up.mark_unreachable(datetime.now(UTC)))
    await uow.outcomes.save_follow_up(follow_up)
    uow.audit(principal, "unreachable", "follow_up", follow_up.id)
    return follow_up
