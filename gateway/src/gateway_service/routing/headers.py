"""Which headers cross the gateway: nothing that could pass for an identity, no hop-by-hop header."""

from __future__ import annotations

from collections.abc import Iterable

from gateway_service.routing.redirects import LOCATIONS, public_location
from gateway_service.routing.service_client import Origin
from hopekit.api.problems import FORWARDED_PREFIX

# RFC 9110 §7.6.1 connection-specific headers, plus Host (set for the upstream) and Expect.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        # The gateway answers a caller's "Expect: 100-continue" itself, as it reads the body to pass it on.
        "expect",
    }
)

# A service behind a proxy might trust these as "who is calling"; only the bearer token says that here.
_IDENTITY_PREFIXES = (
    "x-forwarded-",
    "x-org",
    "x-user",
    "x-principal",
    "x-auth",
    "x-client",
    "x-remote",
    "x-role",
    "x-scope",
    "x-subject",
    "x-tenant",
    "x-real-ip",
    "x-original-",
    "x-hope-",
    "x-ms-client-principal",
    "x-amzn-oidc",
    "x-goog-authenticated",
    "x-ssl-client",
    "ssl-client",
)
# The session cookie and its CSRF token are the gateway's to check: a person reaches a service with a token.
_IDENTITY_NAMES = frozenset(
    {"forwarded", "remote-user", "x-forwarded-user", "cookie", "x-csrf-token", "x-request-id", "traceparent"}
)

# Set by the gateway's own middleware on the way out; the upstream's copies would be duplicates.
_RESPONSE_DROPPED = HOP_BY_HOP | {"x-request-id", "traceparent", "cache-control", "date", "server"}
_RESPONSE_DROPPED_NAMES = frozenset(name.encode() for name in _RESPONSE_DROPPED)


def is_identity_header(name: str) -> bool:
    return name in _IDENTITY_NAMES or name.startswith(_IDENTITY_PREFIXES)


def upstream_request_headers(
    incoming: Iterable[tuple[bytes, bytes]], request_id: str, traceparent: str, prefix: str
) -> list[tuple[bytes, bytes]]:
    """What the upstream receives: the caller's headers cleaned, with the request's id and trace, and the path
    prefix the caller used (``/api/enrolment``), which the service's problem documents name."""
    kept = [
        (name, value)
        for name, value in incoming
        if (lowered := name.decode("latin-1").lower()) not in HOP_BY_HOP
        # A name with "_" is dropped, as nginx does: servers and frameworks that map "_" and "-" to the same name
        # would read "x_forwarded_prefix" or "transfer_encoding" as the header this gateway removes or sets.
        and "_" not in lowered
        and not is_identity_header(lowered)
    ]
    kept.append((b"x-request-id", request_id.encode()))
    kept.append((b"traceparent", traceparent.encode()))
    kept.append((FORWARDED_PREFIX, prefix.encode()))
    return kept


def downstream_response_headers(
    upstream: Iterable[tuple[bytes, bytes]], origin: Origin, public_prefix: bytes
) -> list[tuple[bytes, bytes]]:
    """The service's answer headers for the caller: the gateway's own dropped, and a Location that names the
    service's address (``http://127.0.0.1:8101/v1/...``) made the path through the gateway."""
    kept = []
    for name, value in upstream:
        lowered = name.lower()
        if lowered in _RESPONSE_DROPPED_NAMES:
            continue
        kept.append((name, public_location(value, origin, public_prefix) if lowered in LOCATIONS else value))
    return kept
