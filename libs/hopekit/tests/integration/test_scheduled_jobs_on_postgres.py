"""Two replicas of a service on one PostgreSQL database: while one runs a scheduled job, the other skips it (and
says so on /metrics) instead of doing the same work in parallel; once the first ends, the job is free again; a
job of another name is never held back by it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from hopekit.db.kit_tables import add_kit_tables
from hopekit.jobs import ScheduledJob, Scheduler
from hopekit.metrics import SCHEDULED_RUNS
from hopekit.uow import Database

pytestmark = pytest.mark.integration

GUARD_S = 10.0  # never reached when the code is right


def runs(job: str, outcome: str) -> float:
    value: float = SCHEDULED_RUNS.labels(job, outcome)._value.get()
    return value


class HeldJob:
    """Runs until the test releases it."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.runs = 0

    async def __call__(self, database: Database) -> int:
        self.runs += 1
        self.started.set()
        await asyncio.wait_for(self.release.wait(), GUARD_S)
        return 1


async def quick(database: Database) -> int:
    return 0


async def test_one_replica_runs_a_job_while_the_other_skips_it(postgres_database: str) -> None:
    engines = [create_async_engine(postgres_database) for _ in range(2)]
    replicas = [Database(engine=engine, tables=add_kit_tables(MetaData())) for engine in engines]
    held = HeldJob()
    first = Scheduler("pgjobs", replicas[0], [])
    second = Scheduler("pgjobs", replicas[1], [])
    job = ScheduledJob("count", 3600, held)
    skipped_before = runs("pgjobs.count", "skipped")
    try:
        running = asyncio.create_task(first.run_once(job))
        await asyncio.wait_for(held.started.wait(), GUARD_S)

        assert await second.run_once(job) is False
        assert held.runs == 1  # the second replica did not run it
        assert runs("pgjobs.count", "skipped") == skipped_before + 1
        assert await second.run_once(ScheduledJob("other", 3600, quick)) is True  # only this job's lock

        held.release.set()
        assert await running is True
        held.started.clear()
        assert await second.run_once(job) is True  # free again once the first replica's run ended
        assert held.runs == 2
    finally:
        held.release.set()
        for engine in engines:
            await engine.dispose()
