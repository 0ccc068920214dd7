"""A share of a rebuild read in a process of its own: a rebuild's Python work (decoding, validating, folding the
writes) kept one core busy while the database used a fifth of the other, so the topics are shared among processes
(``Replay(workers=…)``). The process is spawned (not forked: the parent's event loop, engine and Kafka consumers
must not be copied), reads its share into the version being built, and reports through a queue: progress as it
goes, then its counts, or its error. The parent stops it when the rebuild fails elsewhere; its open transaction
ends with its connection, rolled back.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any

# What a share's process reads: (topic, partition, first offset, end offset) per partition.
Bounds = tuple[str, int, int, int]
Counts = tuple[int, int, int]  # applied, read, refused

_SPAWN = multiprocessing.get_context("spawn")
_POLL_S = 0.5


def end_with_parent() -> None:
    """In a share's process: end it as soon as the rebuild's process is gone, even killed. A daemon process is
    stopped by a parent that exits normally only; an orphan would go on writing into a version that the next
    rebuild drops, as rows of no version."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="rebuild-parent-watch", daemon=True).start()


class ShareFailed(RuntimeError):
    """A share's process failed (its error, as it reported it) or ended without reporting."""


class ShareProcess:
    """A share read in a spawned process running ``target(messages, *arguments)``, which puts ``("progress", n)``
    as it goes and ``("done", counts)`` or ``("failed", text)`` at the end."""

    def __init__(self, target: Callable[..., None], *arguments: Any) -> None:
        self._messages: multiprocessing.Queue[tuple[str, Any]] = _SPAWN.Queue()
        self._process: BaseProcess = _SPAWN.Process(target=target, args=(self._messages, *arguments), daemon=True)
        self._process.start()

    async def result(self, on_progress: Callable[[int], None]) -> Counts:
        """Its counts, once it is done; its progress reported meanwhile."""
        while True:
            try:
                kind, value = await asyncio.to_thread(self._messages.get, True, _POLL_S)
            except queue.Empty:
                if self._process.exitcode is not None and self._messages.empty():
                    raise ShareFailed(
                        f"a rebuild process ended (exit code {self._process.exitcode}) without its result"
                    ) from None
                continue
            if kind == "progress":
                on_progress(int(value))
            elif kind == "done":
                applied, read, refused = value
                return int(applied), int(read), int(refused)
            else:
                raise ShareFailed(f"a rebuild process failed: {value}")

    def stop(self) -> None:
        """End the process (done already, or abandoned: the rebuild failed) and wait for it."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._messages.close()
