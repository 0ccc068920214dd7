"""Keeps the platform's processes running: one that dies is started again after a backoff, and the runner says so.

The backoff doubles on each restart (1 s, 2 s, 4 s ... up to 30 s) and starts over once a process has run for a
minute, so a process that crashes at once does not spin, and one that crashed after a day comes back at once.

Each restart runs in a thread of its own: starting the local Kafka again blocks while its JVMs start (up to a minute
on a loaded machine), and a service that died meanwhile must not wait behind it (a fault test saw training come
back 53 s after its kill, its consumers with it).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Supervised(Protocol):
    name: str

    def start(self) -> None: ...

    def exit_status(self) -> str | None:
        """None while running; else how it ended (for the runner's message)."""

    def stop(self) -> None: ...


class ChildProcess:
    """A process started by a command line (a service)."""

    def __init__(self, name: str, spawn: Callable[[], subprocess.Popen[bytes]]) -> None:
        self.name = name
        self._spawn = spawn
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = self._spawn()

    def exit_status(self) -> str | None:
        if self.process is None:
            return "not started"
        code = self.process.poll()
        return None if code is None else f"exited with {code}"

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def stop(self, timeout_s: float = 15) -> None:
        if self.process is None:
            return
        self.terminate()
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class _Watch:
    child: Supervised
    started_at: float
    restarts: int = 0
    restart_at: float | None = None
    restarting: threading.Thread | None = None


class Supervisor:
    def __init__(
        self,
        say: Callable[[str], None],
        *,
        clock: Callable[[], float] = time.monotonic,
        first_delay_s: float = 1.0,
        max_delay_s: float = 30.0,
        stable_after_s: float = 60.0,
    ) -> None:
        self._say = say
        self._clock = clock
        self._first_delay_s = first_delay_s
        self._max_delay_s = max_delay_s
        self._stable_after_s = stable_after_s
        self._watches: list[_Watch] = []

    @property
    def children(self) -> list[Supervised]:
        return [watch.child for watch in self._watches]

    def adopt(self, child: Supervised) -> None:
        """Watch a child that is already started."""
        self._watches.append(_Watch(child, started_at=self._clock()))

    def check(self) -> None:
        """Notice children that died and start again those whose backoff has passed."""
        now = self._clock()
        for watch in self._watches:
            if watch.restarting is not None:
                if watch.restarting.is_alive():
                    continue
                watch.restarting = None
            if watch.restart_at is not None:
                if now >= watch.restart_at:
                    self._begin_restart(watch)
                continue
            status = watch.child.exit_status()
            if status is None:
                continue
            if now - watch.started_at >= self._stable_after_s:
                watch.restarts = 0
            delay = min(self._first_delay_s * 2**watch.restarts, self._max_delay_s)
            watch.restarts += 1
            watch.restart_at = now + delay
            self._say(f"{watch.child.name} {status}; restarting it in {delay:g}s (restart {watch.restarts})")

    def _begin_restart(self, watch: _Watch) -> None:
        watch.restart_at = None
        watch.started_at = self._clock()
        watch.restarting = threading.Thread(
            target=self._restart, args=(watch,), name=f"restart {watch.child.name}", daemon=True
        )
        watch.restarting.start()

    def all_running(self) -> bool:
        """Whether every child runs, none waiting for its restart or in the middle of one (a broker killed as a
        run ends is still starting: whatever reads from it then must wait for this)."""
        return all(
            not (watch.restarting and watch.restarting.is_alive())
            and watch.restart_at is None
            and watch.child.exit_status() is None
            for watch in self._watches
        )

    def wait_for_restarts(self, timeout_s: float | None = None) -> None:
        """Until every restart under way has ended (started or failed)."""
        for watch in self._watches:
            if watch.restarting is not None:
                watch.restarting.join(timeout_s)

    def _restart(self, watch: _Watch) -> None:
        try:
            watch.child.stop()  # whatever is left of it (the other JVM of the local Kafka)
            watch.child.start()
        except Exception as error:
            # A start that fails counts as one more crash: check() sees it dead and backs off further.
            self._say(f"{watch.child.name} did not start again: {error}")
            return
        self._say(f"{watch.child.name} restarted")

    def stop_all(self) -> None:
        """Stop every child, last started first (the services before the broker they use)."""
        self.wait_for_restarts(timeout_s=120)  # a child half-started by a restart thread is stopped too
        for watch in self._watches:
            if isinstance(watch.child, ChildProcess):
                watch.child.terminate()  # all services at once: each then has its grace period in parallel
        for watch in reversed(self._watches):
            try:
                watch.child.stop()
            except Exception as error:
                self._say(f"{watch.child.name} did not stop cleanly: {error}")
