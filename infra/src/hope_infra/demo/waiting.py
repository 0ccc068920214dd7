"""Waiting for what another service learns from events: the demo, like a partner, sees it appear through the API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from hope_infra.demo.gateway import Refused

T = TypeVar("T")


class NotYet(Exception):
    """What was awaited has not happened yet."""


async def eventually(
    attempt: Callable[[], Awaitable[T]],
    *,
    what: str,
    timeout_s: float = 60,
    pending: Callable[[Refused], bool] = lambda _: False,
) -> T:
    """``attempt()`` until it returns: :class:`NotYet` or a refusal that ``pending`` says is only early (the event
    has not arrived) is tried again, anything else is raised at once."""
    deadline = time.monotonic() + timeout_s
    delay = 0.1
    while True:
        try:
            return await attempt()
        except NotYet:
            pass
        except Refused as refused:
            if not pending(refused):
                raise
            last = refused
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not after {timeout_s:.0f}s" + (f" ({last})" if "last" in locals() else ""))
        await asyncio.sleep(delay)
        delay = min(delay * 1.5, 2.0)


def problem_is(*slugs: str) -> Callable[[Refused], bool]:
    types = {f"urn:hope:problem:{slug}" for slug in slugs}
    return lambda refused: refused.problem.get("type") in types
