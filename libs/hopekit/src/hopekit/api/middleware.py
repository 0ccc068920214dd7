"""Request id, W3C trace context, access log and body size limit, as plain ASGI middleware."""

from __future__ import annotations

import logging
import os
import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hopekit.api.problems import Problem, answer_unexpected, problem_response
from hopekit.logs import request_id_var, traceparent_var

log = logging.getLogger("hopekit.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_TRACEPARENT = re.compile(r"^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestContextMiddleware:
    """Keeps a valid incoming ``X-Request-ID`` (or makes one) and ``traceparent`` (or starts a trace)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming_id = _header(scope, b"x-request-id")
        incoming_trace = _header(scope, b"traceparent")
        kept_id = incoming_id if incoming_id and _REQUEST_ID.match(incoming_id) else None
        kept_trace = incoming_trace if incoming_trace and _TRACEPARENT.match(incoming_trace) else None
        # One read of the system's randomness for whatever is missing: a request id, a trace id and a span id.
        fresh = os.urandom(40).hex() if kept_id is None or kept_trace is None else ""
        request_id = kept_id or fresh[:32]
        traceparent = kept_trace or f"00-{fresh[32:64]}-{fresh[64:]}-01"
        id_token = request_id_var.set(request_id)
        trace_token = traceparent_var.set(traceparent)
        started = time.perf_counter()
        status = 500
        answering = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, answering
            if message["type"] == "http.response.start":
                answering = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"traceparent", traceparent.encode()))
                # Personal data must not sit in caches; an answer that says otherwise (or the same) keeps its own.
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if answering:
                raise
            # Answered here, still inside the request's context: the 500 asks the caller to quote the request id,
            # so its document and its headers carry it (the framework's last-resort handler runs outside).
            await answer_unexpected(scope)(scope, receive, send_with_headers)
        finally:
            # Checked first: the access log is off at the services' usual level, and its fields cost a request.
            if log.isEnabledFor(logging.INFO) and not scope["path"].startswith("/health"):
                log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={"status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 2)},
                )
            request_id_var.reset(id_token)
            traceparent_var.reset(trace_token)


class BodySizeLimitMiddleware:
    """413 for bodies over the limit, whether announced by Content-Length or streamed in chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int, large_paths: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.large_paths = large_paths or {}

    def _limit(self, path: str) -> int:
        return next((size for prefix, size in self.large_paths.items() if path.startswith(prefix)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the app, where the problem handlers turn it into the 413 answer.
                    raise _too_large_problem(limit)
            return message

        await self.app(scope, limited_receive, send)


def _too_large_problem(limit: int) -> Problem:
    return Problem(413, "payload-too-large", f"The request body is larger than {limit} bytes.")


def _too_large(limit: int) -> ASGIApp:
    return problem_response(
        413, "payload-too-large", "Content Too Large", f"The request body is larger than {limit} bytes."
    )
