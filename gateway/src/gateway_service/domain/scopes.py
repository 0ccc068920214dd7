"""The scopes a client may hold: ``<service>:read`` and ``<service>:write`` for each service behind the gateway.

A scope is what a partner delegated to one of its clients, enforced at the edge; the roles in the token still
decide, in each service, what the organisation may do.
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway_service.domain.identity import IdentityError

# RFC 9110 safe methods: they only read.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ScopeOutsideVocabulary(IdentityError):
    code = "unknown_scope"

    def __init__(self, unknown: Iterable[str], vocabulary: frozenset[str]) -> None:
        self.unknown = sorted(unknown)
        self.vocabulary = sorted(vocabulary)
        super().__init__(f"unknown scopes: {', '.join(self.unknown)}")

    def details(self) -> dict[str, object]:
        unknown = [
            {"location": "body", "field": "scopes", "pointer": "/scopes", "type": "unknown_scope", "message": scope}
            for scope in self.unknown
        ]
        return {"errors": unknown, "known_scopes": self.vocabulary}


def read_scope(service: str) -> str:
    return f"{service}:read"


def write_scope(service: str) -> str:
    return f"{service}:write"


def scope_for(service: str, method: str) -> str:
    return read_scope(service) if method in READ_METHODS else write_scope(service)


def vocabulary(services: Iterable[str]) -> frozenset[str]:
    return frozenset(scope for service in services for scope in (read_scope(service), write_scope(service)))


def described(services: Iterable[str]) -> dict[str, str]:
    """Each scope with what it allows, as an OpenAPI OAuth2 flow lists them."""
    scopes: dict[str, str] = {}
    for service in sorted(services):
        scopes[read_scope(service)] = f"Read through /api/{service}/v1 (GET, HEAD, OPTIONS)"
        scopes[write_scope(service)] = f"Change through /api/{service}/v1 (POST, PUT, PATCH, DELETE)"
    return scopes


def ensure_known(scopes: Iterable[str], known: frozenset[str]) -> frozenset[str]:
    given = frozenset(scopes)
    if not given <= known:
        raise ScopeOutsideVocabulary(given - known, known)
    return given
