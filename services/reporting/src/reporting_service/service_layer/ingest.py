"""How events reach the read models: applied to every version being fed (or the one a rebuild writes), except
to the rows of a person already erased there, and the partition's completeness mark raised with it.

One event (``into_read_models``) or a batch (``apply_events``: the live consumers' polls and the rebuild's
batches): a batch is applied in one transaction, its writes folded and sent set-based at commit
(``adapters.pending``), its erasures and attendance sheets read ahead in one query each."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache, update_wrapper
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError

from hope_contracts import EventContract, training
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.context import current_event
from hopekit.events.subscriptions import BatchApply, Subscription
from reporting_service.adapters import completeness
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork

log = logging.getLogger(__name__)

C = TypeVar("C", bound=EventContract)

# A batch gives the event loop a turn every this many events, as it validates them and as it applies them. Its use
# cases await nothing that waits (the writes wait for the flush), so a batch kept the loop to itself for the whole
# of its Python work, and another transaction of the process, holding the people's writer lock (``adapters.facts``)
# for its last statements and commit, waited that long, every transaction waiting for the lock with it. A rebuild
# of 300,000 events in two processes (scratch probe sampling ``pg_stat_activity``): 52.5 s, on average two
# transactions waiting for the lock; with a turn every 16 events, 44.0 s and 0.7.
YIELD_EVERY = 16

Apply = Callable[[VersionFacts, C], Awaitable[None]]


async def _note_marks(uow: ReportingUnitOfWork, applied: Iterable[tuple[ReceivedEvent | None, EventContract]]) -> None:
    """Raise the marks of the partitions these events came from, in every version written: per partition its
    furthest offset and latest event time, noted (and shown on ``/metrics``) once for a batch, not once per event
    (the marks only go up, so the furthest of a batch is what noting each in turn left)."""
    furthest: dict[tuple[str, int], tuple[int, datetime]] = {}
    for received, event in applied:
        if received is None:
            continue
        occurred_at: datetime = getattr(event, "occurred_at")  # noqa: B009  (every contract has it; the base does not say)
        stream = (received.topic, received.partition)
        before = furthest.get(stream)
        furthest[stream] = (
            (max(received.offset, before[0]), max(occurred_at, before[1])) if before else (received.offset, occurred_at)
        )
    if not furthest:
        return
    for facts in await uow.fed_versions():
        for (topic, partition), (offset, at) in furthest.items():
            uow.note_mark(facts.version, topic, partition, offset, at)
    if not uow.pinned:
        for (topic, partition), (_, at) in furthest.items():
            await completeness.publish_mark(uow.connection, topic, partition, at)


class ReadModelsUseCase(Generic[C]):
    """The use case a consumer subscribes for one contract (``into_read_models``): the event applied to every
    version being fed, but to the rows of a person already erased there, and its partition's mark raised. A batch
    (``apply_events``) applies its events with ``into_versions`` and raises the marks once."""

    def __init__(self, apply: Apply[C]) -> None:
        self._apply = apply
        update_wrapper(self, apply)

    async def __call__(self, uow: ReportingUnitOfWork, event: C) -> None:
        await self.into_versions(uow, event)
        await _note_marks(uow, [(current_event.get(), event)])

    async def into_versions(self, uow: ReportingUnitOfWork, event: C) -> None:
        person = event.beneficiary_id if _names_a_person(type(event)) else None  # type: ignore[attr-defined]
        for facts in await uow.fed_versions():
            if not (isinstance(person, UUID) and await facts.is_erased(person)):
                await self._apply(facts, event)


def into_read_models(apply: Apply[C]) -> ReadModelsUseCase[C]:
    """The use case a consumer subscribes for one contract, from what the event does to one version."""
    return ReadModelsUseCase(apply)


@cache
def _names_a_person(model: type[BaseModel]) -> bool:
    """Whether the contract (or an entry's or line's model) has a ``beneficiary_id``: asked once per class, as
    ``getattr(event, "beneficiary_id", None)`` on a model without the field raised and caught an AttributeError
    inside pydantic each time."""
    return "beneficiary_id" in model.model_fields


@cache
def _lists_of_people(contract: type[EventContract]) -> tuple[str, ...]:
    """The contract's fields that list people's items (sheets' entries, money's lines)."""
    return tuple(name for name in ("entries", "lines") if name in contract.model_fields)


def people_named(events: Iterable[EventContract]) -> set[UUID]:
    """The people events are about: their ``beneficiary_id`` and those of their entries or lines (sheets,
    money), in one set (a set per event, then their union, was a fortieth of a poll's CPU)."""
    found: set[UUID] = set()
    add = found.add
    for event in events:
        if _names_a_person(type(event)):
            person = event.beneficiary_id  # type: ignore[attr-defined]
            if isinstance(person, UUID):
                add(person)
        for name in _lists_of_people(type(event)):
            items: Sequence[BaseModel] = getattr(event, name) or ()
            for item in items:
                if _names_a_person(type(item)):
                    person = item.beneficiary_id  # type: ignore[attr-defined]
                    if isinstance(person, UUID):
                        add(person)
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
    for index, event in enumerate(events):
        if index % YIELD_EVERY == YIELD_EVERY - 1:
            await asyncio.sleep(0)
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
    people = people_named(contracts)
    sessions = [c.session_id for c in contracts if isinstance(c, training.AttendanceRecorded)]
    for facts in await uow.fed_versions():
        await facts.erased_among(people)
        await facts.prefetch_sessions(sessions)
    superseded = superseded_sheets(contracts)
    for index, ((event, handler), contract) in enumerate(zip(chosen, contracts, strict=True)):
        if index in superseded:
            continue  # its mark is raised with the others'
        if index % YIELD_EVERY == YIELD_EVERY - 1:
            await asyncio.sleep(0)
        token = current_event.set(event)
        try:
            use_case = handler.use_case
            if isinstance(use_case, ReadModelsUseCase):
                await use_case.into_versions(uow, contract)
            else:
                await use_case(uow, contract)
        finally:
            current_event.reset(token)
    await _note_marks(uow, zip((event for event, _ in chosen), contracts, strict=True))
    return len(chosen), refused


def in_batches(subscriptions: Sequence[Subscription[Any, Any]]) -> BatchApply:
    """The batch a live consumer applies per poll (``ConsumerSpec.batch``)."""
    handlers = {subscription.contract.event_type: subscription for subscription in subscriptions}

    async def apply(uow: ReportingUnitOfWork, events: Sequence[ReceivedEvent]) -> None:
        await apply_events(uow, handlers, events)

    return apply
