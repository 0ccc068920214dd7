"""How events reach the read models: applied to every version being fed (or the one a rebuild writes), except
to the rows of a person already erased there, and the partition's completeness mark raised with it.

One event (``into_read_models``) or a batch (``apply_events``: the live consumers' polls and the rebuild's
batches): a batch is applied in one transaction, its writes folded and sent set-based at commit
(``adapters.pending``), its erasures and attendance sheets read ahead in one query each."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from pydantic import ValidationError

from hope_contracts import EventContract, training
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.context import current_event
from hopekit.events.subscriptions import BatchApply, Subscription
from reporting_service.adapters import completeness
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork

log = logging.getLogger(__name__)

C = TypeVar("C", bound=EventContract)

Apply = Callable[[VersionFacts, C], Awaitable[None]]


async def _note_mark(uow: ReportingUnitOfWork, event: EventContract) -> None:
    occurred_at: datetime = getattr(event, "occurred_at")  # noqa: B009  (every contract has it; the base does not say)
    received = current_event.get()
    if received is None:
        return
    for facts in await uow.fed_versions():
        uow.note_mark(facts.version, received.topic, received.partition, received.offset, occurred_at)
    if not uow.pinned:
        await completeness.publish_mark(uow.connection, received.topic, received.partition, occurred_at)


def into_read_models(apply: Apply[C]) -> Callable[[ReportingUnitOfWork, C], Awaitable[None]]:
    """The use case a consumer subscribes for one contract, from what the event does to one version."""

    @wraps(apply)
    async def use_case(uow: ReportingUnitOfWork, event: C) -> None:
        person = getattr(event, "beneficiary_id", None)
        for facts in await uow.fed_versions():
            if not (isinstance(person, UUID) and await facts.is_erased(person)):
                await apply(facts, event)
        await _note_mark(uow, event)

    return use_case


def people_named(event: EventContract) -> set[UUID]:
    """The people an event is about: its ``beneficiary_id`` and those of its entries or lines (sheets, money)."""
    found: set[UUID] = set()
    person = getattr(event, "beneficiary_id", None)
    if isinstance(person, UUID):
        found.add(person)
    for name in ("entries", "lines"):
        for item in getattr(event, name, None) or ():
            person = getattr(item, "beneficiary_id", None)
            if isinstance(person, UUID):
                found.add(person)
    return found


def superseded_sheets(events: Sequence[EventContract]) -> set[int]:
    """The attendance sheets of a batch that a later sheet of their session replaces (the indexes): a sheet
    replaces the one before, so only each session's latest counts (the earliest of equal times, as applying
    them in turn would keep)."""
    latest: dict[UUID, tuple[datetime, int]] = {}
    for index, event in enumerate(events):
        if isinstance(event, training.AttendanceRecorded):
            kept = latest.get(event.session_id)
            if kept is None or event.occurred_at > kept[0]:
                latest[event.session_id] = (event.occurred_at, index)
    kept_indexes = {index for _, index in latest.values()}
    return {
        index
        for index, event in enumerate(events)
        if isinstance(event, training.AttendanceRecorded) and index not in kept_indexes
    }


async def apply_events(
    uow: ReportingUnitOfWork,
    handlers: Mapping[str, Subscription[Any, Any]],
    events: Sequence[ReceivedEvent],
    *,
    skip_invalid: bool = False,
) -> tuple[int, int]:
    """Apply a batch in the caller's transaction; (applied, refused). Every payload is validated before anything
    is written: an invalid one raises (the live consumer then takes the records one by one, and dead-letters
    that one), or with ``skip_invalid`` (the rebuild) is counted and skipped."""
    chosen: list[tuple[ReceivedEvent, Subscription[Any, Any]]] = []
    contracts: list[EventContract] = []
    refused = 0
    for event in events:
        handler = handlers.get(event.type)
        if handler is None:
            continue
        try:
            contracts.append(handler.contract.model_validate(event.data))
        except ValidationError:
            if not skip_invalid:
                raise
            refused += 1
            log.warning("event %s from %s skipped: its payload does not validate", event.id, event.source)
            continue
        chosen.append((event, handler))
    people = {person for contract in contracts for person in people_named(contract)}
    sessions = [c.session_id for c in contracts if isinstance(c, training.AttendanceRecorded)]
    for facts in await uow.fed_versions():
        await facts.erased_among(people)
        await facts.prefetch_sessions(sessions)
    superseded = superseded_sheets(contracts)
    for index, ((event, handler), contract) in enumerate(zip(chosen, contracts, strict=True)):
        token = current_event.set(event)
        try:
            if index in superseded:
                await _note_mark(uow, contract)
            else:
                await handler.use_case(uow, contract)
        finally:
            current_event.reset(token)
    return len(chosen), refused


def in_batches(subscriptions: Sequence[Subscription[Any, Any]]) -> BatchApply:
    """The batch a live consumer applies per poll (``ConsumerSpec.batch``)."""
    handlers = {subscription.contract.event_type: subscription for subscription in subscriptions}

    async def apply(uow: ReportingUnitOfWork, events: Sequence[ReceivedEvent]) -> None:
        await apply_events(uow, handlers, events)

    return apply
