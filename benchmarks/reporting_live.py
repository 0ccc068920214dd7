"""Reporting's live path in process, without Kafka: events in polls through the consumer's batch path
(``hopekit.events.consumer.process_poll``), as ``reporting_ingest`` and ``reporting_replicas`` measure it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator

from hopekit.app import COLLECTOR_THRESHOLDS
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.consumer import process_poll
from hopekit.uow import Database
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS

BATCH = 500  # records per poll (the consumers' max_poll_records)

Polls = dict[str, list[list[ReceivedEvent]]]


def polls_of(events: Iterable[ReceivedEvent]) -> Polls:
    """Each topic's events in polls of up to ``BATCH``, in their order."""
    polls: Polls = defaultdict(list)
    for event in events:
        group = polls[event.topic]
        if not group or len(group[-1]) >= BATCH:
            group.append([])
        group[-1].append(event)
    return polls


async def apply_polls(database: Database, polls: Polls, *, at_once: bool) -> None:
    """The polls through the consumer's batch path, each group's in their order: the groups at once, as the
    service's consumer tasks run them (one group's poll prepared in Python while another's is written), or
    taking turns (one poll at a time)."""
    specs = {topic: spec for spec in CONSUMERS for topic in spec.topics}

    async def apply(poll: list[ReceivedEvent]) -> None:
        spec = specs[poll[0].topic]
        assert spec.batch is not None
        await process_poll(f"reporting.{spec.name}", lambda: ReportingUnitOfWork(database), poll, spec.batch)

    async def one_group(group: list[list[ReceivedEvent]]) -> None:
        for poll in group:
            await apply(poll)

    if at_once:
        await asyncio.gather(*(one_group(group) for group in polls.values()))
    else:
        for round_ in itertools.zip_longest(*polls.values()):
            for poll in round_:
                if poll:
                    await apply(poll)


@contextlib.contextmanager
def held_history() -> Iterator[None]:
    """The history is built before the clock starts; frozen, the collector does not walk its 20,000 events at
    every full collection (a third of the CPU per event), which a consumer holding one poll never has to. The
    collector then runs at a started service's thresholds (``hopekit.app.COLLECTOR_THRESHOLDS``)."""
    gc.collect()
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
