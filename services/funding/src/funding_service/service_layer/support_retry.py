"""Support's units left unpaid (no plan, no money, an agreement not active) are counted again when that may have
changed, in the transaction of the change itself: a financing plan made for their cohort or person, an agreement
that becomes active, money given back to a line their plans draw on (a withdrawal's release, a re-schedule with
fewer hours, a sheet or a placement corrected down). What is then posted is published as for a support event.

Bounded: at most ``RETRY_LIMIT`` sources per change, oldest first (by the time of the support event that last
counted them); the others stay listed and are tried at the next change that concerns them.

Lock order, so that a retry and a support event (or two retries) never deadlock on PostgreSQL: a source's row
before any account. A support event locks its source, then the accounts it posts to. A retry comes after its
change's movement, holding that movement's accounts, so it never waits for a source: it skips a source another
transaction holds (``SupportCostRepository.unfunded_of``). That holder counts the source itself; if it needs an
account this change holds, it waits for this change to commit and sees the money it gave back. (One that holds
the source and counts nothing, a stale support event, leaves it to the next change that concerns it.)

The audit row of what a retry pays names who made the change: the caller of a request (a plan made, an
agreement activated), or the event.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar
from uuid import UUID

from funding_service.adapters.support_costs import Payee
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.support_costs import SUPPORT_COSTS
from funding_service.service_layer.support_costs import recount
from hopekit.identity.principal import Principal

log = logging.getLogger(__name__)

RETRY_LIMIT = 100
_SUPPORT_COSTS = {cost_type.value for cost_type in SUPPORT_COSTS}
E = TypeVar("E")


async def for_plan(uow: FundingUnitOfWork, plan: FinancingPlan, principal: Principal | None = None) -> None:
    """A plan was made (by ``principal``): the unpaid units of its cohort's or person's for its cost type."""
    if plan.cost_type in SUPPORT_COSTS:
        await _retry(uow, [Payee(plan.cost_type.value, plan.cohort_id, plan.beneficiary_id)], principal)


async def for_lines(uow: FundingUnitOfWork, line_ids: Iterable[UUID], principal: Principal | None = None) -> None:
    """These lines can pay now (their agreement became active, or money came back to them): the unpaid units of
    everyone a plan drawing on them pays. ``principal``: the caller of the request that made the change, if any."""
    lines = set(line_ids)
    if lines:
        payees = await uow.support.payees_of_lines(lines)
        await _retry(uow, [payee for payee in payees if payee.cost_type in _SUPPORT_COSTS], principal)


async def for_refilled_lines(uow: FundingUnitOfWork) -> None:
    """After a movement: the lines it gave money back to. Once: what the retry itself gives back waits."""
    lines, uow.refilled_lines = uow.refilled_lines, set()
    await for_lines(uow, lines)
    uow.refilled_lines = set()


def then_retry(
    use_case: Callable[[FundingUnitOfWork, E], Awaitable[None]],
) -> Callable[[FundingUnitOfWork, E], Awaitable[None]]:
    """An event's use case followed by the retry of what the lines it refilled may pay now."""

    async def handled(uow: FundingUnitOfWork, event: E) -> None:
        await use_case(uow, event)
        if uow.refilled_lines:
            # Support's units are counted from the tables as they are: what a run of sheets holds is written first.
            await uow.flush_writes()
            await for_refilled_lines(uow)

    return handled


async def _retry(uow: FundingUnitOfWork, payees: list[Payee], principal: Principal | None) -> None:
    if not payees:
        return
    waiting = await uow.support.unfunded_of(payees, RETRY_LIMIT)
    for source in waiting:
        await recount(uow, source, principal)
    if len(waiting) == RETRY_LIMIT:
        log.info("%d unpaid support sources counted again; more may wait for the next change", RETRY_LIMIT)
