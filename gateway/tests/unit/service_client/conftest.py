"""Every test of the client to the services runs on asyncio's own loop and on uvloop, which the gateway runs on:
their transports differ in ways the client meets (uvloop's are not subclasses of asyncio's)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

import pytest
import uvloop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    return {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}
