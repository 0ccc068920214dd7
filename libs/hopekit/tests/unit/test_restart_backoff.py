"""A crashed background worker (relay, consumer) is restarted after a pause that grows with a storm of crashes and
starts over once the worker has run for a while."""

from __future__ import annotations

import asyncio

import pytest

from hopekit.runtime import RestartBackoff, _supervise


def test_the_pause_doubles_with_each_quick_crash_up_to_its_ceiling() -> None:
    backoff = RestartBackoff(first_s=0.5, max_s=4, stable_after_s=60)
    assert [backoff.after_crash(1) for _ in range(6)] == [0.5, 1, 2, 4, 4, 4]


def test_a_crash_after_a_stable_run_waits_the_first_pause_again() -> None:
    backoff = RestartBackoff(first_s=0.5, max_s=30, stable_after_s=60)
    for _ in range(7):
        backoff.after_crash(0.1)  # a broker outage's storm of crashes, long ago
    assert backoff.after_crash(3600) == 0.5
    assert backoff.after_crash(1) == 1


async def test_the_supervisor_restarts_a_crashed_worker_until_it_ends() -> None:
    runs: list[int] = []

    async def work() -> None:
        runs.append(len(runs))
        if len(runs) < 3:
            raise RuntimeError("broker gone")

    await asyncio.wait_for(_supervise("worker", work, RestartBackoff(first_s=0.01, max_s=0.02)), 5)
    assert runs == [0, 1, 2]


async def test_the_supervisor_lets_a_cancellation_through() -> None:
    async def work() -> None:
        await asyncio.sleep(60)

    task = asyncio.create_task(_supervise("worker", work))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
