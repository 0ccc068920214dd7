"""How each event reaches the read models: applied to every version being fed (or the one a rebuild writes),
except to the rows of a person already erased there, and the partition's completeness mark raised with it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import wraps
from typing import TypeVar
from uuid import UUID

from hope_contracts import EventContract
from hopekit.events.context import current_event
from reporting_service.adapters import completeness
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork

C = TypeVar("C", bound=EventContract)

Apply = Callable[[VersionFacts, C], Awaitable[None]]


def into_read_models(apply: Apply[C]) -> Callable[[ReportingUnitOfWork, C], Awaitable[None]]:
    """The use case a consumer subscribes for one contract, from what the event does to one version."""

    @wraps(apply)
    async def use_case(uow: ReportingUnitOfWork, event: C) -> None:
        person = getattr(event, "beneficiary_id", None)
        occurred_at: datetime = getattr(event, "occurred_at")  # noqa: B009  (every contract has it; the base does not say)
        received = current_event.get()
        for facts in await uow.fed_versions():
            if not (isinstance(person, UUID) and await facts.is_erased(person)):
                await apply(facts, event)
            if received is not None:
                uow.note_mark(facts.version, received.topic, received.partition, received.offset, occurred_at)
        if received is not None and not uow.pinned:
            await completeness.publish_mark(uow.connection, received.topic, received.partition, occurred_at)

    return use_case
