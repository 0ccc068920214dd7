"""The event a consumer is handling, for what is recorded about it (the audit row's actor, the logs)."""

from __future__ import annotations

from contextvars import ContextVar

from hopekit.events.cloudevent import ReceivedEvent

current_event: ContextVar[ReceivedEvent | None] = ContextVar("current_event", default=None)
