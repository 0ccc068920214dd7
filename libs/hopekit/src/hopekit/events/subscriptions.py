"""What a consumer group handles: one use case per contract class, typed, the topic read from the contract.

A service lists its subscriptions (``on(enrolment.BeneficiaryErased, erasure.erase_beneficiary)``); the kit
decodes each record into the contract and calls the use case with the message's own unit of work. No event
type or topic name is written by hand.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hope_contracts import EventContract
from hopekit import metrics
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.context import current_event
from hopekit.events.inbox import record_new
from hopekit.events.ordering import advance_many, apply_in_order
from hopekit.uow import UnitOfWork

U = TypeVar("U", bound=UnitOfWork)
C = TypeVar("C", bound=EventContract)


@dataclass(frozen=True)
class Subscription(Generic[U, C]):
    contract: type[C]
    use_case: Callable[[U, C], Awaitable[None]]

    async def __call__(self, uow: U, event: ReceivedEvent) -> None:
        # A payload that does not validate raises pydantic's ValidationError: no retry makes it valid (DLQ).
        await self.use_case(uow, self.contract.model_validate(event.data))


def on(contract: type[C], use_case: Callable[[U, C], Awaitable[None]]) -> Subscription[U, C]:
    return Subscription(contract, use_case)


BatchApply = Callable[[Any, Sequence[ReceivedEvent]], Awaitable[None]]
"""Applies a poll's new, in-order events (those the consumer has handlers for) in the unit of work's transaction;
the kit commits."""


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group of a service, ``<service>.<name>``, and the contracts it handles.

    ``batch``: optional, for a consumer whose writes are set-based (a read model): the whole poll is applied in one
    transaction (``process_batch``); when that fails, its records go through the per-record path, retries and dead
    letters included. Without it, each record is its own transaction, as always."""

    name: str
    subscriptions: Sequence[Subscription[Any, Any]]
    batch: BatchApply | None = None

    @property
    def topics(self) -> list[str]:
        return sorted({subscription.contract.topic() for subscription in self.subscriptions})

    @property
    def handlers(self) -> Mapping[str, Subscription[Any, Any]]:
        """By CloudEvents type."""
        return {subscription.contract.event_type: subscription for subscription in self.subscriptions}


async def process(consumer: str, uow: UnitOfWork, handler: Subscription[Any, Any], event: ReceivedEvent) -> bool:
    """One event in its own transaction: recorded in the inbox, handled, committed. False for a duplicate."""
    token = current_event.set(event)
    try:
        async with uow:
            if not await uow.mark_processed(consumer, event.source, event.id, event.type):
                metrics.DUPLICATES_DROPPED.labels(consumer).inc()
                return False
            # A stale event (older than what this consumer applied for its key) is recorded but not applied.
            await apply_in_order(uow.connection, uow.tables, consumer, event, lambda: handler(uow, event))
            await uow.commit()
        return True
    finally:
        current_event.reset(token)


async def process_batch(consumer: str, uow: UnitOfWork, events: Sequence[ReceivedEvent], apply: BatchApply) -> int:
    """Many events in one transaction: inbox rows for the new ones, order marks raised (stale ones left out), the
    rest applied by ``apply``, committed together. Returns how many were applied."""
    async with uow:
        fresh = await record_new(uow.connection, uow.tables, consumer, events)
        if len(fresh) < len(events):
            metrics.DUPLICATES_DROPPED.labels(consumer).inc(len(events) - len(fresh))
        in_order = await advance_many(uow.connection, uow.tables, consumer, fresh)
        await apply(uow, in_order)
        await uow.commit()
    return len(in_order)
