"""The monthly count of open support files: a file is paid one person-month for every calendar month it is open
in, but support sends an event only when it opens and when it closes. Between the two, this count adds each new
month: run once a day by the platform's scheduler (``hope-funding count-support-months``; any day of a month
will do, a second run that day finds nothing to add), it counts every open file through the current month.

Each file is its own transaction (``count_month``): its row is locked first, then the accounts its count posts
to, as a support event does (``support_retry``'s lock order). What is posted is published as
``support_cost.recorded`` like an event's count; a file no plan or money pays is kept unfunded with the reason.
The audit names the schedule as the actor.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.support_costs import open_months
from funding_service.domain.vocabulary import CostType
from funding_service.service_layer.support_costs import recount
from hope_contracts.vocabulary import OrgKind
from hopekit.identity.principal import Principal
from hopekit.uow import PLATFORM_ORG

SCHEDULE = Principal(
    subject="funding:monthly-count",
    org_id=PLATFORM_ORG,
    org_kind=OrgKind.PROGRAMME_OPERATOR,
    roles=frozenset(),
    scopes=frozenset(),
)
"""Who the audit names for the monthly count: the platform itself, on the programme operator's behalf."""


async def open_files(uow: FundingUnitOfWork, after: UUID | None, limit: int) -> list[UUID]:
    return await uow.support.open_files(after, limit)


async def count_month(uow: FundingUnitOfWork, file_id: UUID, today: date) -> bool:
    """Count an open file through ``today``'s month if its count is behind; True when it was counted."""
    source = await uow.support.source(file_id, lock=True)
    if source is None or source.cost_type is not CostType.SUPPORT_PER_PERSON_MONTH or source.starts_on is None:
        return False
    if source.ended_on is not None:
        return False  # closed meanwhile: its closing counted its months
    if source.quantity >= len(open_months(source.starts_on, None, today)):
        return False
    await recount(uow, source, SCHEDULE, through=today)
    return True
