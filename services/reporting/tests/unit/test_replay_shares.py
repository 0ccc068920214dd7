"""How a rebuild shares the topics' partitions among processes, and how it hears from (and stops) the others."""

from __future__ import annotations

import asyncio
import functools
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reporting_service.events.replay import _all_or_none, _read_in_process, shares
from reporting_service.events.replay_processes import ShareFailed, ShareProcess

BOUNDS = [
    ("hope.employment.events", 0, 0, 50),
    ("hope.enrolment.events", 0, 0, 120),
    ("hope.enrolment.events", 1, 10, 140),
    ("hope.funding.events", 0, 0, 230),
    ("hope.support.events", 0, 0, 70),
    ("hope.training.events", 0, 0, 200),
    ("hope.training.events", 1, 0, 210),
]


def _records(share: list[tuple[str, int, int, int]]) -> int:
    return sum(end - first for _, _, first, end in share)


def test_each_topic_is_shared_by_its_partitions_and_the_shares_are_about_even() -> None:
    two = shares(BOUNDS, 2)
    assert sorted(bounds for share in two for bounds in share) == sorted(BOUNDS)
    # Training's and enrolment's two partitions go one to each share, the larger first (training's 1, 210
    # records, then enrolment's 1, 130, to the share with fewer); funding (230) then to the share of training's 1
    # (the totals tie at 330), support and employment to the other, the fewest records in all each time.
    assert [[(topic, partition) for topic, partition, *_ in share] for share in two] == [
        [
            ("hope.employment.events", 0),
            ("hope.enrolment.events", 1),
            ("hope.support.events", 0),
            ("hope.training.events", 0),
        ],
        [("hope.enrolment.events", 0), ("hope.funding.events", 0), ("hope.training.events", 1)],
    ]
    assert [_records(share) for share in two] == [450, 560]  # this process takes the smaller


def test_with_as_many_partitions_each_share_holds_half_of_every_topic() -> None:
    """Six partitions a topic (the platform's), sized unevenly: whatever a record of each topic costs, the two
    processes have about as much of each kind of work."""
    sizes = {"hope.training.events": 4000, "hope.funding.events": 2200, "hope.enrolment.events": 2500}
    bounds = [
        (topic, partition, 0, size + 37 * partition * (1 if partition % 2 else -1))
        for topic, size in sizes.items()
        for partition in range(6)
    ]
    two = shares(bounds, 2)
    assert sorted(bounds for share in two for bounds in share) == sorted(bounds)
    for topic in sizes:
        held = [_records([b for b in share if b[0] == topic]) for share in two]
        assert len([b for b in two[0] if b[0] == topic]) == 3
        assert abs(held[0] - held[1]) <= 0.05 * sum(held), (topic, held)
    assert _records(two[0]) <= _records(two[1])


def test_one_worker_reads_everything_and_more_workers_than_partitions_get_one_partition_each() -> None:
    assert shares(BOUNDS, 1) == [BOUNDS]
    many = shares(BOUNDS, 12)
    assert len(many) == len(BOUNDS)
    assert all(len(share) == 1 for share in many)
    assert sorted(share[0] for share in many) == sorted(BOUNDS)
    assert shares([], 2) == [[]]  # no partition: this process alone, reading nothing


async def test_the_first_failure_cancels_the_other_readers_and_is_raised_as_it_is() -> None:
    cancelled: list[str] = []

    async def reads_on() -> tuple[int, int, int]:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append("reader")
            raise
        return 0, 0, 0

    async def fails() -> tuple[int, int, int]:
        await asyncio.sleep(0.01)
        raise LookupError("a reader failed")

    with pytest.raises(LookupError, match="a reader failed"):
        await _all_or_none([reads_on(), fails()])
    assert cancelled == ["reader"]
    assert await _all_or_none([asyncio.sleep(0, (1, 2, 0)), asyncio.sleep(0, (3, 4, 1))]) == [(1, 2, 0), (3, 4, 1)]


async def test_another_process_s_error_reaches_the_rebuild() -> None:
    # Nothing listens on port 1: the process's Kafka consumer cannot start, and it says so.
    other = ShareProcess(
        _read_in_process,
        "postgresql+asyncpg://nobody@127.0.0.1:1/nothing",
        "127.0.0.1:1",
        2,
        [("hope.training.events", 0, 0, 10)],
        500,
    )
    try:
        with pytest.raises(ShareFailed, match=r"a rebuild process failed: .*Kafka"):
            await other.result(lambda count: None)
    finally:
        other.stop()


async def test_a_process_that_ends_without_a_word_is_a_failure_too() -> None:
    other = ShareProcess(functools.partial(os._exit, 3))  # called with the queue: a TypeError, exit code 1
    try:
        with pytest.raises(ShareFailed, match=r"ended .* without its result"):
            await other.result(lambda count: None)
    finally:
        other.stop()


def _ended(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")  # a zombie has ended
    except FileNotFoundError:
        return True


PARENT = """
import sys, time
from reporting_service.events.replay import _read_in_process
from reporting_service.events.replay_processes import ShareProcess
if __name__ == "__main__":
    other = ShareProcess(
        _read_in_process, "postgresql+asyncpg://nobody@127.0.0.1:1/nothing", sys.argv[1], 2,
        [("hope.training.events", 0, 0, 10)], 500,
    )
    print(other._process.pid, flush=True)
    time.sleep(120)
"""


def test_a_share_s_process_ends_when_the_rebuild_s_process_is_killed(tmp_path: Path) -> None:
    """Killed, the rebuild's process cannot stop its others: each ends itself rather than go on writing."""
    silent = socket.socket()  # a "Kafka" that takes the connection and never answers: the share waits on it
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    silent.settimeout(60)
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    port = silent.getsockname()[1]
    parent = subprocess.Popen([sys.executable, str(script), f"127.0.0.1:{port}"], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        connection, _ = silent.accept()  # the share is reading: its consumer is connected
        assert not _ended(child)
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 20
        while not _ended(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _ended(child)
        connection.close()
    finally:
        parent.kill()
        silent.close()
