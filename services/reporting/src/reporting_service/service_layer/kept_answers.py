"""Answers kept while the read models stand still: the dashboard's pages ask the same indicators of the same
national figures again and again, and at national scale computing one scans up to 1.5 million fact rows (0.1 to
4 s, the reporting benchmark), where giving it back again takes a query on ``read_model_positions``.

An answer is kept under everything it depends on: the indicator and filters, the caller's scope, the day
follow-ups are due by, and the read models' state (active version and every partition's position: any applied
event moves it, in the transaction of its facts). So a kept answer is the very answer computing it again would
give; the first request after the facts moved computes it afresh. Kept per process and per database (``of``: tests
run several databases in one process), the least recently used dropped first."""

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

# A national answer is a few hundred rows (by cohort: 2,000): a few hundred of them stay within tens of MB.
CAPACITY = 512


class KeptAnswers:
    """A bounded map from what an answer depends on to the answer, the least recently used dropped first (an
    ``OrderedDict`` suffices: one event loop per process, nothing awaited between reading and writing it)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._kept: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, key: Hashable) -> object | None:
        found = self._kept.get(key)
        if found is None:
            ANSWERS.labels("computed").inc()
            return None
        self._kept.move_to_end(key)
        ANSWERS.labels("kept").inc()
        return found

    def keep(self, key: Hashable, answer: object) -> None:
        self._kept[key] = answer
        self._kept.move_to_end(key)
        while len(self._kept) > self._capacity:
            self._kept.popitem(last=False)


_OF: weakref.WeakKeyDictionary[Engine, KeptAnswers] = weakref.WeakKeyDictionary()


def of(engine: Engine) -> KeptAnswers:
    """The answers kept for one database (its engine), made on first use."""
    kept = _OF.get(engine)
    if kept is None:
        kept = _OF[engine] = KeptAnswers()
    return kept
