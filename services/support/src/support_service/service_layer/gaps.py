"""Housing gaps: people in step 3 or 4 without a bed for the coming week, or whose placement ends before their
step does. A support provider sees its own people, the operator everyone."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from hopekit.identity.principal import Principal
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.domain.actor import OrgKind
from support_service.domain.gaps import GapPosition, ListedGap
from support_service.service_layer.access import actor_of, writable_file


async def gaps(
    uow: SupportUnitOfWork,
    principal: Principal,
    today: date,
    *,
    cohort_id: UUID | None = None,
    after: GapPosition | None = None,
    limit: int,
) -> list[ListedGap]:
    """A page of the list (at most `limit` gaps after `after`), in order of the first uncovered night."""
    actor = actor_of(principal)
    if not actor.reads() or actor.org_kind not in (OrgKind.SUPPORT_PROVIDER, OrgKind.PROGRAMME_OPERATOR):
        return []
    org = actor.org_id if actor.org_kind is OrgKind.SUPPORT_PROVIDER else None
    found = await uow.gaps.page(org, cohort_id, today, after, limit)
    uow.audit(principal, "list_housing_gaps", "placement", org or "*")
    return found


async def set_step_end(uow: SupportUnitOfWork, principal: Principal, file_id: UUID, step_ends_on: date | None) -> None:
    """The referent enters when the person's current step ends: used only where the cohort's calendar (enrolment's
    events) has no end for that step, as on an individual path whose cohort has no calendar."""
    await writable_file(uow, actor_of(principal), file_id)
    await uow.gaps.set_step_end(file_id, step_ends_on)
    uow.audit(principal, "set_step_end", "support_file", file_id)
