"""Support's costs from support's events: nights of a placement, a month's meals, months of an open file (see
``domain.support_costs`` for what is counted). Each event recounts its source whole; only the difference from
what the ledger holds for it is posted, from the line's available money (no commitment reserves these costs).

Paid only where the person's financing plan (their own, else their cohort's) has a line for the cost type on an
active agreement with money left; otherwise nothing moves and the source is kept as ``unfunded`` with the
reason, listed by ``GET /v1/unfunded-support-costs`` for the operator: never lost, and counted again when a plan,
an agreement's activation or money given back may pay it (``support_retry``). A duplicate event (another id,
the same content) recounts the same units and posts nothing; an event older than the one applied is ignored.

What a count posts is published as one ``support_cost.recorded`` (per funder, line and month), in the same
transaction; a count that posts nothing publishes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from funding_service.adapters.support_costs import SupportSource
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.consumption import ConsumptionDelta
from funding_service.domain.errors import LimitExceeded
from funding_service.domain.instants import as_utc
from funding_service.domain.money import ZERO
from funding_service.domain.support_costs import (
    Quantities,
    funded_meals,
    month_of,
    months_after,
    occupied_nights,
    open_months,
    reference,
    targets,
)
from funding_service.domain.vocabulary import AgreementStatus, CostType
from funding_service.service_layer import access
from funding_service.service_layer.consumption import consumption_accounts
from funding_service.service_layer.ledger_writes import post
from hope_contracts import support
from hope_contracts.funding import SupportCostEntry, SupportCostRecorded
from hopekit.events.context import current_event
from hopekit.identity.principal import Principal

log = logging.getLogger(__name__)

NO_PLAN, NO_MONEY, INACTIVE = "no_plan", "no_money", "inactive"
_MEALS = UUID("6f1d7a52-4c8e-4d0b-9a51-2f3c8e1b7d40")  # namespace of a person's month of meals


def _stale(kept: SupportSource | None, at: datetime) -> bool:
    return kept is not None and kept.updated_at > as_utc(at)


def _received_id() -> UUID | None:
    """The id of the support event being applied (``support_cost.recorded`` answers it). The relays give UUIDs;
    another id is turned into a stable UUID rather than refused."""
    received = current_event.get()
    if received is None:
        return None
    try:
        return UUID(received.id)
    except ValueError:
        return uuid5(NAMESPACE_URL, f"{received.source}#{received.id}")


async def on_housing_assigned(uow: FundingUnitOfWork, event: support.HousingAssigned) -> None:
    kept = await uow.support.source(event.placement_id, lock=True)
    # Applied unless a later event about the placement was (a release seen first still waits for its nights).
    if kept is not None and kept.starts_on is not None and _stale(kept, event.occurred_at):
        return
    released_on = kept.ended_on if kept is not None else None
    source = SupportSource(
        event.placement_id,
        CostType.HOUSING_NIGHT,
        event.beneficiary_id,
        None,
        event.starts_on,
        event.ends_on,
        released_on,
        max(as_utc(event.occurred_at), kept.updated_at) if kept is not None else as_utc(event.occurred_at),
        event_id=_received_id(),
    )
    await _count(uow, source, occupied_nights(event.starts_on, event.ends_on, released_on))


async def on_housing_released(uow: FundingUnitOfWork, event: support.HousingReleased) -> None:
    kept = await uow.support.source(event.placement_id, lock=True)
    if _stale(kept, event.occurred_at):
        return
    if kept is None or kept.starts_on is None or kept.ends_on is None:
        # Its placement is not known yet: the release is kept and applied when it comes.
        log.warning("a placement released before its assignment was seen")
        await uow.support.save(
            SupportSource(
                event.placement_id,
                CostType.HOUSING_NIGHT,
                event.beneficiary_id,
                None,
                None,
                None,
                event.released_on,
                as_utc(event.occurred_at),
                event_id=_received_id(),
            )
        )
        return
    source = replace(kept, ended_on=event.released_on, updated_at=as_utc(event.occurred_at), event_id=_received_id())
    await _count(uow, source, occupied_nights(kept.starts_on, kept.ends_on, event.released_on))


async def on_meals_entitled(uow: FundingUnitOfWork, event: support.MealsEntitled) -> None:
    month = event.month.replace(day=1)
    source_id = uuid5(_MEALS, f"{event.beneficiary_id}/{month.isoformat()}")
    kept = await uow.support.source(source_id, lock=True)
    if _stale(kept, event.occurred_at):
        return
    source = SupportSource(
        source_id,
        CostType.CATERING_MEAL,
        event.beneficiary_id,
        None,
        month,
        None,
        None,
        as_utc(event.occurred_at),
        event_id=_received_id(),
    )
    await _count(uow, source, funded_meals(month, event.lunches, event.dinners))


async def on_file_opened(uow: FundingUnitOfWork, event: support.SupportFileOpened) -> None:
    kept = await uow.support.source(event.file_id, lock=True)
    if kept is not None:
        return  # opened once; the same event again (another id) or after its closing changes nothing
    opened_on = as_utc(event.occurred_at).date()
    source = SupportSource(
        event.file_id,
        CostType.SUPPORT_PER_PERSON_MONTH,
        event.beneficiary_id,
        event.cohort_id,
        opened_on,
        None,
        None,
        as_utc(event.occurred_at),
        event_id=_received_id(),
    )
    await _count(uow, source, open_months(opened_on))


async def on_file_closed(uow: FundingUnitOfWork, event: support.SupportFileClosed) -> None:
    kept = await uow.support.source(event.file_id, lock=True)
    if _stale(kept, event.occurred_at):
        return
    closed_on = as_utc(event.occurred_at).date()
    if kept is None or kept.starts_on is None:
        log.warning("a support file closed before its opening was seen: its closing month is counted")
        kept = SupportSource(
            event.file_id,
            CostType.SUPPORT_PER_PERSON_MONTH,
            event.beneficiary_id,
            None,
            closed_on,
            None,
            None,
            as_utc(event.occurred_at),
        )
    source = replace(kept, ended_on=closed_on, updated_at=as_utc(event.occurred_at), event_id=_received_id())
    assert source.starts_on is not None
    await _count(uow, source, open_months(source.starts_on, closed_on))


async def recount(
    uow: FundingUnitOfWork, source: SupportSource, principal: Principal | None = None, through: date | None = None
) -> None:
    """Count a kept source again as its latest event left it (a plan or money may pay it now): on ``principal``'s
    request, or on an event when None. ``through``: an open file's months are counted to that day's month (the
    monthly count); without it, the months its last count wanted."""
    if source.starts_on is None:
        return  # a release seen before its placement: nothing to count yet
    if source.cost_type is CostType.HOUSING_NIGHT:
        assert source.ends_on is not None
        quantities = occupied_nights(source.starts_on, source.ends_on, source.ended_on)
    elif source.cost_type is CostType.CATERING_MEAL:
        quantities = {source.starts_on: source.quantity} if source.quantity else {}
    elif through is not None or source.ended_on is not None:
        quantities = open_months(source.starts_on, source.ended_on, through)
    else:
        # An open file again as last counted: as many months as its count wanted (at least its opening one).
        counted = months_after(month_of(source.starts_on), max(int(source.quantity), 1) - 1)
        quantities = open_months(source.starts_on, None, counted)
    await _count(uow, source, quantities, principal)


async def _count(
    uow: FundingUnitOfWork, source: SupportSource, quantities: Quantities, principal: Principal | None = None
) -> None:
    """Bring what the ledger holds for the source to its units priced by the person's plan, or say why not.
    ``principal``: the caller whose request made the count, None when an event did."""
    person = source.beneficiary_id
    source = replace(source, quantity=sum(quantities.values(), ZERO))
    cohort_id = source.cohort_id or await uow.projection.cohort_of(person)
    plan = await uow.reference.plan_for(source.cost_type, None, cohort_id, person)
    amounts, held_before = await uow.support.posted(source.source_id, person)
    if plan is None:
        await _unfunded(uow, source, NO_PLAN if source.quantity or amounts.posted else None)
        return
    posted_before = {ref for ref, _ in amounts.posted}
    deltas = amounts.settle(targets(plan, source.source_id, quantities), posted_before)
    if not deltas:
        await uow.support.save(replace(source, unfunded=None))
        return
    owners = await uow.reference.line_owners(set(plan.shares) | {delta.budget_line_id for delta in deltas})
    inactive = any(owners[line][2] != AgreementStatus.ACTIVE for line in plan.shares)
    if inactive and any(delta.amount > 0 for delta in deltas):
        await _unfunded(uow, source, INACTIVE)
        return
    now = datetime.now(UTC)
    try:
        transaction = await post(
            uow,
            consumption_accounts(deltas),
            lambda ledger: movements.uncommitted_consumption(ledger, deltas, now, source.source_id),
        )
    except LimitExceeded:
        await _unfunded(uow, source, NO_MONEY)
        return
    held_on = {reference(source.source_id, month): _held_on(source, month) for month in quantities}
    await uow.support.keep_posted(source.source_id, amounts, held_on)
    await uow.support.save(replace(source, unfunded=None))
    if principal is None:
        uow.audit_event("consume", "beneficiary", person)
    else:
        uow.audit(principal, "consume", "beneficiary", person)
    drawn = {line: amount for (_, line), amount in movements.drawn_from_commitments(transaction).items()}
    entries = moved_entries(deltas, owners, held_before | held_on, drawn)
    if entries:
        uow.publish(
            SupportCostRecorded(
                source_id=source.source_id,
                beneficiary_id=person,
                cohort_id=cohort_id,
                cost_type=source.cost_type.value,
                units=source.quantity,
                # A source kept before revision 0005 has no event id: the source stands for it.
                source_event_id=source.event_id or source.source_id,
                entries=entries,
                occurred_at=now,
            )
        )


def moved_entries(
    deltas: Iterable[ConsumptionDelta],
    owners: Mapping[UUID, tuple[UUID, UUID, str]],
    held_on: Mapping[UUID, date],
    drawn: Mapping[UUID, Decimal],
) -> tuple[SupportCostEntry, ...]:
    """What the count moved, per line and month (a change within one line between months shows as both), and the
    part of it drawn from a commitment: ``drawn`` per line, as the transaction's postings say (a commitment by hand;
    no step commitment reserves these costs), shared between the line's months in date order."""
    moved: dict[tuple[UUID, date], Decimal] = {}
    for delta in deltas:
        key = (delta.budget_line_id, held_on[delta.reference_id])
        moved[key] = moved.get(key, ZERO) + delta.amount
    by_line: dict[UUID, list[tuple[date, Decimal]]] = {}
    for (line, day), amount in sorted(moved.items()):
        if amount:
            by_line.setdefault(line, []).append((day, amount))
    return tuple(
        SupportCostEntry(
            funder_id=owners[line][1],
            agreement_id=owners[line][0],
            budget_line_id=line,
            held_on=day,
            amount=amount,
            from_commitment=share,
        )
        for line, months in by_line.items()
        for (day, amount), share in zip(
            months, movements.share_drawn([amount for _, amount in months], drawn.get(line, ZERO)), strict=True
        )
    )


def _held_on(source: SupportSource, month: date) -> date:
    """The day a month's units are dated (a claim takes the months its period covers): the month's first day,
    or the source's first day when it starts within that month."""
    if source.starts_on is not None and source.starts_on.replace(day=1) == month:
        return max(month, source.starts_on)
    return month


async def _unfunded(uow: FundingUnitOfWork, source: SupportSource, reason: str | None) -> None:
    """Nothing moves: the ledger keeps what it held for the source; the units wanted and why are kept."""
    if reason is not None:
        log.info("%s units of %s left unpaid: %s", source.quantity, source.cost_type.value, reason)
    await uow.support.save(replace(source, unfunded=reason))


async def unfunded_page(
    uow: FundingUnitOfWork, principal: Principal, after: UUID | None, limit: int
) -> list[SupportSource]:
    """Support's placements, months of meals and files whose units are not paid, with why: the operator's list."""
    access.ensure_operator_lister(principal)
    return await uow.support.unfunded(after, limit)
