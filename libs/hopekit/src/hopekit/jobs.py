"""Scheduled jobs: work a running service does by itself on a clock, not on a request or an event (funding's
monthly count of open support files). No outside scheduler (cron, an orchestrator's jobs) is needed: the platform
runs the same way under ``make run`` and in production.

Each job runs once as the service starts, then again every ``interval_s`` counted from the end of the previous run,
so a slow run never overlaps the next. A failing run is logged (its error's class and where it was raised, never
its message, which may quote a row) and counted; the job runs again at the next tick.

Replicas: each runs every job on its own clock, but on PostgreSQL a run first takes a session advisory lock named
after the job (``pg_try_advisory_lock``), so at most one replica runs a job at a time; a replica that finds it
taken skips that tick (counted ``skipped``) instead of doing the same work in parallel. The lock is held by a
connection of its own for the run and goes with it if the replica dies. A job must still be idempotent (two
replicas may run it one after the other; funding's count then finds nothing left to count) and correct without
the lock (SQLite has one writer at a time and takes none; funding's count also locks each file's row).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from hopekit.db.advisory import lock_key
from hopekit.metrics import SCHEDULED_LAST_SUCCESS, SCHEDULED_RUNS
from hopekit.uow import Database

log = logging.getLogger(__name__)

# The wait for a running job to end when the service stops (each job is cancelled first; a job's transaction in
# flight is rolled back): well inside an orchestrator's grace period.
STOP_TIMEOUT_S = 10.0
# The first key of the jobs' advisory locks (the relay's and the cohorts' use other classes).
_LOCK_CLASS = 0x6A6F62  # "job"


@dataclass(frozen=True)
class ScheduledJob:
    """``run`` gets the service's database (a job opens its own units of work, one per transaction it needs) and
    returns how many things it changed: a count, which is all its log line says."""

    name: str
    interval_s: float
    run: Callable[[Database], Awaitable[int]]

    def __post_init__(self) -> None:
        if self.interval_s <= 0:
            raise ValueError(f"scheduled job {self.name}: the interval must be positive")


@dataclass
class Scheduler:
    """Runs a service's jobs in the background between ``start`` and ``stop``; ``sleep`` is asyncio's, a test's
    clock in tests."""

    service: str
    database: Database
    jobs: Sequence[ScheduledJob]
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start(self) -> None:
        for job in self.jobs:
            self._tasks.append(asyncio.create_task(self._every(job), name=f"job {job.name}"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=STOP_TIMEOUT_S)
            for task in pending:
                log.warning("%s did not stop within %.0fs; shutting down without it", task.get_name(), STOP_TIMEOUT_S)
        self._tasks.clear()

    async def _every(self, job: ScheduledJob) -> None:
        while True:
            await self.run_once(job)
            await self.sleep(job.interval_s)

    async def run_once(self, job: ScheduledJob) -> bool:
        """One run of ``job``, its outcome logged and counted; True when it ran and succeeded."""
        label = f"{self.service}.{job.name}"
        started = time.monotonic()
        try:
            async with self._alone(label) as alone:
                if not alone:
                    SCHEDULED_RUNS.labels(label, "skipped").inc()
                    log.debug("scheduled job %s skipped: another replica is running it", label)
                    return False
                result = await job.run(self.database)
        except Exception as error:
            SCHEDULED_RUNS.labels(label, "failed").inc()
            # Where it was raised, frame by frame, without the source lines (and never the message).
            frames = traceback.extract_tb(error.__traceback__)
            where = "\n".join(f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames)
            log.error(
                "scheduled job %s failed (%s); it runs again in %.0fs\n%s",
                label,
                type(error).__name__,
                job.interval_s,
                where,
            )
            return False
        SCHEDULED_RUNS.labels(label, "succeeded").inc()
        SCHEDULED_LAST_SUCCESS.labels(label).set_to_current_time()
        # A run that changed nothing says so only at DEBUG: a job every few seconds would fill the log with it.
        log.log(
            logging.INFO if result else logging.DEBUG,
            "scheduled job %s changed %d in %.1fs",
            label,
            result,
            time.monotonic() - started,
        )
        return True

    @contextlib.asynccontextmanager
    async def _alone(self, label: str) -> AsyncIterator[bool]:
        """Whether this replica holds the job's lock (always, on a database with one writer)."""
        engine = self.database.engine
        if engine.dialect.name != "postgresql":
            yield True
            return
        key = lock_key(label.encode())
        async with engine.connect() as connection:
            # Autocommit: a session lock outlives transactions, and an idle-in-transaction connection held for the
            # whole run would trip the server's idle_in_transaction_session_timeout.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            taken = bool(await connection.scalar(select(func.pg_try_advisory_lock(_LOCK_CLASS, key))))
            try:
                yield taken
            finally:
                if taken:
                    await connection.scalar(select(func.pg_advisory_unlock(_LOCK_CLASS, key)))
