"""Keeps aiokafka from flooding the logs while a broker is away.

aiokafka logs every failed reconnect and metadata refresh at ERROR, several times a second per client. The
filter below turns that into two lines per outage: "Kafka connection trouble started" (the first such line, at
WARNING) and "Kafka connection trouble ended" once none came for ``quiet_s``, with how many it held back. Every
other aiokafka line is rate-limited: the same message template from the same logger is written at most once
per ``interval_s`` (10 s), the next one written saying how many were held back in between.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# aiokafka's messages (client, producer sender, consumer coordinator) that mean "the broker cannot be reached", not
# "this request failed"; compared in lower case.
CONNECTION_TROUBLE = (
    "unable connect to node",
    "unable to update metadata",
    "unable to request metadata",
    "unable to connect to",
    "failed fetch messages from",
    "coordinator dead",
    "group coordinator request failed",
    "nodenotreadyerror",
)

_summary = logging.getLogger("hopekit.kafka")


@dataclass
class _Episode:
    started: float
    last: float
    count: int


class KafkaLogFilter(logging.Filter):
    def __init__(
        self,
        *,
        interval_s: float = 10.0,
        quiet_s: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        watch: bool = True,
    ) -> None:
        super().__init__()
        self.interval_s = interval_s
        self.quiet_s = quiet_s
        self._clock = clock
        self._watch = watch
        self._lock = threading.Lock()
        self._episode: _Episode | None = None
        self._timer: threading.Timer | None = None
        self._last_written: dict[tuple[str, str, int], float] = {}
        self._held_back: dict[tuple[str, str, int], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka"):
            return True
        if record.levelno >= logging.WARNING and any(text in str(record.msg).lower() for text in CONNECTION_TROUBLE):
            return self._connection_trouble(record)
        return self._rate_limited(record)

    def _connection_trouble(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = self._clock()
            if self._episode is not None:
                self._episode.count += 1
                self._episode.last = now
                return False
            self._episode = _Episode(started=now, last=now, count=1)
        _rewrite(record, logging.WARNING, f"Kafka connection trouble started: {record.getMessage()}")
        if self._watch:
            self._arm()
        return True

    def end_quiet_episode(self) -> bool:
        """Write the "ended" line if the trouble has been quiet for ``quiet_s``; True when it did."""
        with self._lock:
            episode = self._episode
            if episode is None or self._clock() - episode.last < self.quiet_s:
                return False
            self._episode = None
        _summary.warning(
            "Kafka connection trouble ended: %d connection errors in %.0fs, %d of them not logged",
            episode.count,
            episode.last - episode.started,
            episode.count - 1,
            extra={"connection_errors": episode.count},
        )
        return True

    def _arm(self) -> None:
        def check() -> None:
            if not self.end_quiet_episode() and self._episode is not None:
                self._arm()

        self._timer = threading.Timer(self.quiet_s / 2, check)
        self._timer.daemon = True
        self._timer.start()

    def _rate_limited(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg), record.levelno)
        with self._lock:
            now = self._clock()
            last = self._last_written.get(key)
            if last is not None and now - last < self.interval_s:
                self._held_back[key] = self._held_back.get(key, 0) + 1
                return False
            self._last_written[key] = now
            held = self._held_back.pop(key, 0)
        if held:
            _rewrite(record, record.levelno, f"{record.getMessage()} ({held} like it not logged since the last one)")
        return True


def _rewrite(record: logging.LogRecord, level: int, message: str) -> None:
    record.levelno = level
    record.levelname = logging.getLevelName(level)
    record.msg = message
    record.args = None
