"""A fast lane in front of FastAPI's own layers, for requests the gateway answers with a plain ASGI app.

FastAPI puts several layers between the kit's middleware and an endpoint (server-error and exception middleware,
its telemetry and body-limit middleware, the router's walk, an exit stack). For a request answered by a plain
ASGI app (the proxy: most of what the gateway serves) they do nothing but cost time on every request. A lane's
requests meet only the kit's own middleware (request id and trace, body size limit, access log) and a problem
boundary that answers what the app raises as FastAPI's handlers would. Every other request goes the usual way.
"""

from __future__ import annotations

from typing import Protocol

from starlette.types import ASGIApp, Receive, Scope, Send

from hopekit.api.problems import ProblemBoundary
from hopekit.app import ServiceApp


class FastLane(Protocol):
    def claims(self, scope: Scope) -> bool:
        """Whether this lane answers the HTTP request of ``scope`` (it may set ``path_params`` in it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...


def install_fast_lane(app: ServiceApp, fast_lane: FastLane) -> None:
    """Before the first request: the lane's requests bypass FastAPI's layers, keeping the kit's middleware."""

    def wrap(stack: ASGIApp) -> ASGIApp:
        lane: ASGIApp = ProblemBoundary(fast_lane)
        for cls, args, kwargs in reversed(app.kit_middleware):
            lane = cls(lane, *args, **kwargs)
        return _Fork(stack, fast_lane, lane)

    app.wrap_stack = wrap


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
