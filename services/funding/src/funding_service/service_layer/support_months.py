"""The monthly count of open support files: a file is paid one person-month for every calendar month it is open
in, but support sends an event only when it opens and when it closes. Between the two, this count adds each new
month: the running service does it every hour (its scheduled job, ``main``; ``hope-funding count-support-months``
by hand), through the current month. Any day of a month will do: a second run in the month finds nothing to add.

Each file is its own transaction (``count_month``): its row is locked first, then the accounts its count posts
to, as a support event does (``support_retry``'s lock order). What is posted is published as
``support_cost.recorded`` like an event's count; a file no plan or money pays is kept unfunded with the reason.
The audit names the schedule as the actor. Two runs at once (two replicas, or the job and the command) count a
month once: the second waits on the file's row and, once it has it, finds the count current.
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
from hopekit.uow import PLATFORM_ORG, Database

PAGE = 500

SCHEDULE = Principal(
    subject="funding:monthly-count",
    org_id=PLATFORM_ORG,
    org_kind=OrgKind.PROGRAMME_OPERATOR,
    roles=frozenset(),
    scopes=frozenset(),
)
"""Who the audit names for the monthly count: the platform itself, on the programme operator's behalf."""


async def count_open_files(database: Database, today: date) -> int:
    """Every open support file counted through ``today``'s month, read a page of 500 at a time, one transaction
    per file behind; how many moved."""
    counted = 0
    after: UUID | None = None
    while True:
        async with FundingUnitOfWork(database) as uow:
            files = await uow.support.open_files(after, PAGE)
        for file_id, starts_on, months in files:
            # Run every hour, the count mostly finds files already counted: those it reads so in the page cost no
            # transaction nor lock. A file behind is checked again under its lock (another run may count it first).
            if months >= len(open_months(starts_on, None, today)):
                continue
            async with FundingUnitOfWork(database) as uow:
                if await count_month(uow, file_id, today):
                    await uow.commit()
                    counted += 1
        if len(files) < PAGE:
            return counted
        after = files[-1][0]


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
