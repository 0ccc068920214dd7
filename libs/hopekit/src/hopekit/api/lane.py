"""A fast lane in front of FastAPI's own layers, for requests a service answers with a plain ASGI app.

FastAPI puts several layers between the kit's middleware and an endpoint (server-error and exception middleware,
its telemetry and body-limit middleware, the router's walk, an exit stack). For a request answered by a plain
ASGI app (the gateway's proxy: most of what the gateway serves) they do nothing but cost time on every request.
A lane's requests meet only the kit's own middleware (request id and trace, body size limit, access log) and a
problem boundary that answers what the app raises as FastAPI's handlers would. Every other request goes the
usual way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from hopekit.api.problems import ProblemBoundary


class FastLane(Protocol):
    def claims(self, scope: Scope) -> bool:
        """Whether this lane answers the HTTP request of ``scope`` (it may set ``path_params`` in it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...


class ServiceApp(FastAPI):
    """FastAPI with the kit's middleware, and room for one fast lane (``fast_lane``, set before the first
    request) that bypasses FastAPI's own layers."""

    def __init__(self, *, kit_middleware: Sequence[Middleware], **options: Any) -> None:
        super().__init__(middleware=kit_middleware, **options)
        self.kit_middleware = list(kit_middleware)
        self.fast_lane: FastLane | None = None

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        if self.fast_lane is None:
            return stack
        lane: ASGIApp = ProblemBoundary(self.fast_lane)
        for cls, args, kwargs in reversed(self.kit_middleware):
            lane = cls(lane, *args, **kwargs)
        return _Fork(stack, self.fast_lane, lane)


class _Fork:
    def __init__(self, stack: ASGIApp, fast_lane: FastLane, lane: ASGIApp) -> None:
        self.stack = stack
        self.fast_lane = fast_lane
        self.lane = lane

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.fast_lane.claims(scope):
            await self.lane(scope, receive, send)
        else:
            await self.stack(scope, receive, send)
