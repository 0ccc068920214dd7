"""Answers kept while the read models stand still: the dashboard's pages ask the same indicators of the same
national figures again and again, and at national scale computing one scans up to 1.5 million fact rows (0.1 to
5 s, the reporting benchmark), where giving it back again takes one query on the versions and their marks.

An answer is kept under everything it depends on: the indicator and filters, the caller's scope, the day
follow-ups are due by, and the read models' state (the active version and its count of changes, which every
transaction writing its facts raises: ``adapters.completeness.read_models_state``). So a kept answer is the very
answer computing it again would give; the first request after the facts moved computes it afresh. Kept per process
and per database (``of``: tests run several databases in one process), the least recently used dropped first."""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Hashable

from prometheus_client import Counter
from sqlalchemy import Engine

ANSWERS = Counter(
    "hope_reporting_indicator_answers_total",
    "Indicator answers given, computed from the facts or kept from an identical request on the same facts.",
    ["source"],
)

# Rows kept at most, over every answer: a national answer by region has about 130 (the groups and the monthly
# series), by cohort about 2,100 (200 KB pickled); 50,000 rows stay within a few tens of MB.
CAPACITY = 50_000


class KeptAnswers:
    """A map from what an answer depends on to the answer and its rows, at most ``capacity`` rows in all, the
    least recently used dropped first (an ``OrderedDict`` suffices: one event loop per process, nothing awaited
    between reading and writing it)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._kept: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._rows = 0

    def get(self, key: Hashable) -> object | None:
        found = self._kept.get(key)
        if found is None:
            ANSWERS.labels("computed").inc()
            return None
        self._kept.move_to_end(key)
        ANSWERS.labels("kept").inc()
        return found[0]

    def keep(self, key: Hashable, answer: object, rows: int) -> None:
        if rows > self._capacity:
            return
        before = self._kept.pop(key, None)
        self._rows += rows - (before[1] if before else 0)
        self._kept[key] = (answer, rows)
        while self._rows > self._capacity:
            _, (_, dropped) = self._kept.popitem(last=False)
            self._rows -= dropped

    def __len__(self) -> int:
        return len(self._kept)


_OF: weakref.WeakKeyDictionary[Engine, KeptAnswers] = weakref.WeakKeyDictionary()


def of(engine: Engine) -> KeptAnswers:
    """The answers kept for one database (its engine), made on first use."""
    kept = _OF.get(engine)
    if kept is None:
        kept = _OF[engine] = KeptAnswers()
    return kept
