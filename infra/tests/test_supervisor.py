"""The platform runner starts again a process that dies, with backoff, and says so."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from hope_infra.supervisor import ChildProcess, Supervisor


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def exits_with(code: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", f"import sys; sys.exit({code})"])


def runs_until_stopped() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def wait_for_exit(child: ChildProcess) -> None:
    assert child.process is not None
    child.process.wait(timeout=10)


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def supervisor(said: list[str], clock: Clock) -> Iterator[Supervisor]:
    supervisor = Supervisor(said.append, clock=clock, first_delay_s=1, max_delay_s=30, stable_after_s=60)
    yield supervisor
    supervisor.stop_all()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_child_that_exits_is_started_again_after_a_growing_backoff(
    supervisor: Supervisor, said: list[str], clock: Clock
) -> None:
    crashing = ChildProcess("enrolment", lambda: exits_with(3))
    crashing.start()
    supervisor.adopt(crashing)
    first_pid = crashing.process.pid if crashing.process else None

    wait_for_exit(crashing)
    supervisor.check()
    assert said == ["enrolment exited with 3; restarting it in 1s (restart 1)"]

    clock.now += 0.5
    supervisor.check()
    assert len(said) == 1  # still backing off

    clock.now += 0.5
    supervisor.check()
    supervisor.wait_for_restarts(timeout_s=10)
    assert said[-1] == "enrolment restarted"
    assert crashing.process is not None
    assert crashing.process.pid != first_pid

    wait_for_exit(crashing)
    supervisor.check()
    assert said[-1] == "enrolment exited with 3; restarting it in 2s (restart 2)"
    clock.now += 2
    supervisor.check()
    supervisor.wait_for_restarts(timeout_s=10)
    wait_for_exit(crashing)
    supervisor.check()
    assert said[-1] == "enrolment exited with 3; restarting it in 4s (restart 3)"


def test_a_child_that_ran_a_long_time_before_dying_comes_back_after_the_first_delay_again(
    supervisor: Supervisor, said: list[str], clock: Clock
) -> None:
    crashing = ChildProcess("training", lambda: exits_with(1))
    crashing.start()
    supervisor.adopt(crashing)
    for _ in range(3):
        wait_for_exit(crashing)
        supervisor.check()
        clock.now += 30
        supervisor.check()
        supervisor.wait_for_restarts(timeout_s=10)

    wait_for_exit(crashing)
    clock.now += 61
    supervisor.check()

    assert said[-1] == "training exited with 1; restarting it in 1s (restart 1)"


def test_running_children_are_left_alone_and_stopped_on_request(supervisor: Supervisor, said: list[str]) -> None:
    steady = ChildProcess("gateway", runs_until_stopped)
    steady.start()
    supervisor.adopt(steady)

    for _ in range(3):
        supervisor.check()
        time.sleep(0.05)
    assert said == []
    assert supervisor.all_running()

    supervisor.stop_all()
    assert steady.process is not None
    assert steady.process.poll() is not None


class SlowToStart:
    """A child whose start blocks until released, as the local Kafka's does while its JVMs come up."""

    name = "kafka"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.running = True

    def start(self) -> None:
        self.release.wait(timeout=30)
        self.running = True

    def exit_status(self) -> str | None:
        return None if self.running else "stopped (broker or ZooKeeper)"

    def stop(self) -> None:
        self.running = False


def test_a_slow_restart_does_not_hold_back_the_others(supervisor: Supervisor, said: list[str], clock: Clock) -> None:
    kafka = SlowToStart()
    supervisor.adopt(kafka)
    crashing = ChildProcess("training", lambda: exits_with(9))
    crashing.start()
    supervisor.adopt(crashing)

    kafka.running = False
    wait_for_exit(crashing)
    supervisor.check()
    clock.now += 1
    supervisor.check()  # both restarts begin; the broker's blocks in its start

    deadline = time.monotonic() + 10
    while "training restarted" not in said and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "training restarted" in said
    assert "kafka restarted" not in said  # still starting

    assert not supervisor.all_running()  # the broker is still starting
    kafka.release.set()
    supervisor.wait_for_restarts(timeout_s=10)
    assert "kafka restarted" in said
    assert kafka.exit_status() is None


def test_all_running_only_once_a_killed_child_is_back(supervisor: Supervisor, clock: Clock) -> None:
    steady = ChildProcess("enrolment", runs_until_stopped)
    steady.start()
    supervisor.adopt(steady)
    assert steady.process is not None
    steady.process.kill()
    steady.process.wait(timeout=10)

    supervisor.check()
    assert not supervisor.all_running()  # waiting for its backoff
    clock.now += 1
    supervisor.check()
    supervisor.wait_for_restarts(timeout_s=10)
    assert supervisor.all_running()
