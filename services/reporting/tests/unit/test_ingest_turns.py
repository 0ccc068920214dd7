"""A batch gives the event loop turns as it goes: another transaction of the same process, waiting for its turn
to send its last statements and commit while it holds the people's writer lock, does not wait for the whole
batch."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from hope_contracts import enrolment
from hope_infra.testing import received
from hopekit.events.subscriptions import on
from reporting_service.service_layer.ingest import YIELD_EVERY, apply_events


class _NoVersions:
    """A unit of work feeding no version (nothing to read ahead or write) and pinned (no mark published)."""

    pinned = True

    async def fed_versions(self) -> list[Any]:
        return []


async def test_a_batch_lets_other_tasks_run_between_its_events() -> None:
    turns = 0
    seen: list[int] = []

    async def other_transaction() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    async def applied(_uow: Any, _event: enrolment.PathwayResumed) -> None:
        seen.append(turns)  # awaits nothing: the loop turns only where the batch gives it one

    handler = on(enrolment.PathwayResumed, applied)
    at = datetime(2026, 3, 2, tzinfo=UTC)
    events = [
        received(enrolment.PathwayResumed(beneficiary_id=uuid.uuid4(), to_status="pre_orientation", occurred_at=at))
        for _ in range(10 * YIELD_EVERY)
    ]
    other = asyncio.create_task(other_transaction())
    await asyncio.sleep(0)
    try:
        applied_count, refused = await apply_events(
            _NoVersions(),
            {handler.contract.event_type: handler},
            events,  # type: ignore[arg-type]
        )
    finally:
        other.cancel()
    assert (applied_count, refused) == (len(events), 0)
    # The other task ran while the events were applied, at least once every YIELD_EVERY of them.
    assert seen[-1] - seen[0] >= len(events) // YIELD_EVERY - 1
    assert all(seen[i + YIELD_EVERY] > seen[i] for i in range(len(seen) - YIELD_EVERY))
