"""Redirects that tell no one where anything is: relative Locations, never built from the caller's Host header nor
pointing at a service's own address."""

from __future__ import annotations

from urllib.parse import quote

from starlette.routing import Match, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway_service.routing.service_client import Origin

# What may stay as it is in a path: RFC 3986's unreserved and sub-delims, ":" and "@", and existing escapes.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
# Answer headers that hold a URL of the service's.
LOCATIONS = frozenset({b"location", b"content-location"})


class RelativeSlashRedirect:
    """The router's answer when no route matches: 307 to the same path with or without its trailing slash when that
    one has a route, as Starlette's own redirect does, but with a relative Location. Starlette's builds an absolute
    URL from the Host header, which any caller sets (a cache, or a page, could then send the next caller away)."""

    def __init__(self, router: Router) -> None:
        self._router = router
        self._fallback: ASGIApp = router.default
        # Starlette's own redirect stands down; this one runs where it did, just before the "not found" answer.
        router.redirect_slashes = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if scope["type"] == "http" and path != "/":
            other = {**scope, "path": path.rstrip("/") if path.endswith("/") else path + "/"}
            if other["path"] and any(route.matches(other)[0] is not Match.NONE for route in self._router.routes):
                # One leading slash only: "//host/..." would be a reference to another host.
                location = "/" + quote(other["path"], safe=_PATH_SAFE).lstrip("/")
                query: bytes = scope.get("query_string", b"")
                if query:
                    location += "?" + query.decode("latin-1")
                await send(
                    {"type": "http.response.start", "status": 307, "headers": [(b"location", location.encode())]}
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await self._fallback(scope, receive, send)


def install(router: Router) -> None:
    router.default = RelativeSlashRedirect(router)


def public_location(value: bytes, origin: Origin, public_prefix: bytes) -> bytes:
    """A service's Location as the caller may see it: a URL of the service's own address, or a path of its, is
    made the path the caller reaches it by through the gateway (``/api/<service>/...``); anything else stays."""
    rest = value
    for scheme in (b"http://", b"https://", b"//"):
        if value[: len(scheme)].lower() == scheme:
            authority, slash, path = value[len(scheme) :].partition(b"/")
            if authority.lower() != origin.host_header.lower():
                return value
            rest = slash + path or b"/"
            break
    if not rest.startswith(b"/") or rest.startswith(b"//"):
        # Relative to where the caller is (the same under the gateway), or another host's.
        return value
    if origin.prefix and rest.startswith(origin.prefix + b"/"):
        rest = rest[len(origin.prefix) :]
    return public_prefix + rest
