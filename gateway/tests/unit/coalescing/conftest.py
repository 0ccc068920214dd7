"""The coalescing transport is tested on asyncio's own loop and on uvloop, which the gateway runs on."""

from hopekit.testing import on_both_event_loops as pytest_asyncio_loop_factories

__all__ = ["pytest_asyncio_loop_factories"]
