"""A service's scheduled jobs run once at start, then after every interval on the scheduler's clock (a test's
clock here, which moves only when the test says); a failing run is logged without its message, counted, and the
job runs again at the next tick; the service's stop cancels them; the app starts them beside the relay."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from hopekit.db.kit_tables import add_kit_tables
from hopekit.jobs import ScheduledJob, Scheduler
from hopekit.metrics import SCHEDULED_LAST_SUCCESS, SCHEDULED_RUNS
from hopekit.settings import ServiceSettings
from hopekit.testing import running
from hopekit.uow import Database

from .fakes import bare_service

GUARD_S = 5.0  # never reached when the code is right: a wait for what must happen, not a measure of time


class Clock:
    """The scheduler's sleep: it records each wait and returns only when the test ticks."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self._ticks: asyncio.Queue[None] = asyncio.Queue()
        self.waiting = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.waiting.set()
        await self._ticks.get()
        self.waiting.clear()

    async def asleep(self) -> None:
        """Until the scheduler waits on this clock again (its run ended)."""
        await asyncio.wait_for(self.waiting.wait(), GUARD_S)

    def tick(self) -> None:
        self.waiting.clear()
        self._ticks.put_nowait(None)


class Job:
    """Records the database each run was given; raises on the runs listed in ``failing``."""

    def __init__(self, failing: frozenset[int] = frozenset()) -> None:
        self.runs: list[Any] = []
        self.failing = failing

    async def __call__(self, database: Database) -> int:
        self.runs.append(database)
        if len(self.runs) in self.failing:
            raise RuntimeError("row 4f1c… of person Alice Martin broke")
        return len(self.runs)


def database() -> Database:
    return Database(engine=create_async_engine("sqlite+aiosqlite://"), tables=add_kit_tables(MetaData()))


def runs(job: str, outcome: str) -> float:
    value: float = SCHEDULED_RUNS.labels(job, outcome)._value.get()
    return value


async def test_a_job_runs_at_start_then_after_each_interval_with_the_service_database() -> None:
    clock, job, db = Clock(), Job(), database()
    scheduler = Scheduler("svc", db, [ScheduledJob("count", 3600, job)], sleep=clock.sleep)
    scheduler.start()
    await clock.asleep()
    assert len(job.runs) == 1
    assert clock.waits == [3600]
    for expected in (2, 3):
        clock.tick()
        await clock.asleep()
        assert len(job.runs) == expected
    assert job.runs == [db, db, db]
    assert clock.waits == [3600, 3600, 3600]
    await scheduler.stop()


async def test_a_failing_run_is_logged_without_its_message_and_counted_and_the_job_runs_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, job = Clock(), Job(failing=frozenset({1}))
    failed, succeeded = runs("svc.flaky", "failed"), runs("svc.flaky", "succeeded")
    scheduler = Scheduler("svc", database(), [ScheduledJob("flaky", 60, job)], sleep=clock.sleep)
    with caplog.at_level(logging.INFO, logger="hopekit.jobs"):
        scheduler.start()
        await clock.asleep()
        assert runs("svc.flaky", "failed") - failed == 1
        assert runs("svc.flaky", "succeeded") - succeeded == 0
        clock.tick()
        await clock.asleep()
    await scheduler.stop()

    assert len(job.runs) == 2
    assert runs("svc.flaky", "failed") - failed == 1
    assert runs("svc.flaky", "succeeded") - succeeded == 1
    assert SCHEDULED_LAST_SUCCESS.labels("svc.flaky")._value.get() > 0
    [failure] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "svc.flaky failed (RuntimeError)" in failure.getMessage()
    assert "test_scheduled_jobs.py" in failure.getMessage()  # where it was raised
    logged = caplog.text
    assert "Alice" not in logged
    assert "4f1c" not in logged


async def test_jobs_run_on_their_own_intervals() -> None:
    clock, hourly, daily = Clock(), Job(), Job()
    jobs = [ScheduledJob("hourly", 3600, hourly), ScheduledJob("daily", 86400, daily)]
    scheduler = Scheduler("svc", database(), jobs, sleep=clock.sleep)
    scheduler.start()

    async def both_asleep() -> None:
        while len(clock.waits) < 2:
            await asyncio.sleep(0)

    await asyncio.wait_for(both_asleep(), GUARD_S)
    assert sorted(clock.waits) == [3600, 86400]
    assert (len(hourly.runs), len(daily.runs)) == (1, 1)
    await scheduler.stop()


async def test_stop_cancels_a_run_in_progress_and_a_wait() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def slow(_: Database) -> int:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return 0

    clock = Clock()
    scheduler = Scheduler(
        "svc", database(), [ScheduledJob("slow", 60, slow), ScheduledJob("idle", 60, Job())], sleep=clock.sleep
    )
    scheduler.start()
    await asyncio.wait_for(started.wait(), GUARD_S)
    await clock.asleep()  # the idle job ran and waits for its next tick
    tasks = list(scheduler._tasks)
    await scheduler.stop()
    assert cancelled.is_set()
    assert all(task.cancelled() for task in tasks)
    assert scheduler._tasks == []


def test_an_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        ScheduledJob("never", 0, Job())


async def test_the_service_runs_its_jobs_while_it_runs_and_only_when_they_are_enabled(tmp_path: Any) -> None:
    ran = asyncio.Event()

    async def job(database: Database) -> int:
        assert database.engine.dialect.name == "sqlite"
        ran.set()
        return 0

    def app(enabled: bool) -> Any:
        settings = ServiceSettings(service_name="svc", var_dir=tmp_path, log_json=False, scheduled_jobs_enabled=enabled)
        return bare_service(settings, scheduled=[ScheduledJob("job", 3600, job)])

    disabled = app(False)
    async with running(disabled):
        assert disabled.state.scheduler.jobs == ()
    assert not ran.is_set()

    enabled = app(True)
    async with running(enabled):
        await asyncio.wait_for(ran.wait(), GUARD_S)
        tasks = list(enabled.state.scheduler._tasks)
        assert len(tasks) == 1
    assert all(task.done() for task in tasks)


async def test_a_run_that_changed_something_is_logged_and_one_that_changed_nothing_only_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    changes = iter([3, 0])

    async def job(database: Database) -> int:
        return next(changes)

    scheduler = Scheduler("svc", database(), [ScheduledJob("count", 60, job)], sleep=clock.sleep)
    with caplog.at_level(logging.DEBUG, logger="hopekit.jobs"):
        scheduler.start()
        await clock.asleep()
        clock.tick()
        await clock.asleep()
    await scheduler.stop()

    said = [(record.levelno, record.getMessage().split(" in ")[0]) for record in caplog.records]
    assert said == [
        (logging.INFO, "scheduled job svc.count changed 3"),
        (logging.DEBUG, "scheduled job svc.count changed 0"),
    ]
