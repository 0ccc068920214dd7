"""Where a dashboard page's time went, in its ``Server-Timing`` header: the calls it made to the services (how
many, how many of them one after another, how long they kept the page waiting, the longest of each service's)
and the gateway's own part (building the figures and the HTML). A browser's developer tools show it, and the
national-scale measurement reads it to tell the services' time from the gateway's."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Call:
    service: str
    started: float
    ended: float


def waited(calls: Iterable[Call]) -> float:
    """How long at least one call was in flight: the page's wait on the services, calls made together counted
    once."""
    total, reached = 0.0, float("-inf")
    for call in sorted(calls, key=lambda c: c.started):
        if call.ended > reached:
            total += call.ended - max(call.started, reached)
            reached = call.ended
    return total


def in_a_row(calls: Iterable[Call]) -> int:
    """The longest run of calls each started after the one before it ended (calls that could not overlap): 1
    when every call was made together. The greatest set of calls no two of which overlap, taken earliest end
    first."""
    count, free_from = 0, float("-inf")
    for call in sorted(calls, key=lambda c: c.ended):
        if call.started >= free_from:
            count += 1
            free_from = call.ended
    return count


@dataclass
class PageTiming:
    started: float = field(default_factory=time.perf_counter)
    calls: list[Call] = field(default_factory=list)
    render_s: float = 0.0

    def header(self, now: float | None = None) -> str:
        total = (time.perf_counter() if now is None else now) - self.started
        upstream = waited(self.calls)
        parts = [
            f'upstream;dur={upstream * 1000:.1f};desc="{len(self.calls)} calls / {in_a_row(self.calls)} in a row"',
            f"gateway;dur={(total - upstream) * 1000:.1f}",
            f"render;dur={self.render_s * 1000:.1f}",
        ]
        for service in sorted({call.service for call in self.calls}):
            own = [call.ended - call.started for call in self.calls if call.service == service]
            parts.append(f'{service};dur={max(own) * 1000:.1f};desc="{len(own)} calls / longest"')
        return ", ".join(parts)
