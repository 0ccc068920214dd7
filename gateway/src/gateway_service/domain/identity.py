"""Partner organisations and the API clients through which their information systems call the platform."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from hope_contracts.vocabulary import OrgKind, Role

_SIRET = re.compile(r"^\d{14}$")


class IdentityError(Exception):
    """An organisation or client that cannot be registered as described; answered 422 (its category)."""

    code = "identity"
    category = "unprocessable"


class InvalidSiret(IdentityError):
    code = "invalid_siret"


class UnknownScopes(IdentityError):
    code = "invalid_scope"


def valid_siret(siret: str) -> bool:
    """14 digits passing the Luhn check (La Poste's establishments are the documented exception)."""
    if not _SIRET.match(siret):
        return False
    if siret.startswith("356000000"):
        return sum(int(digit) for digit in siret) % 5 == 0
    total = 0
    for position, char in enumerate(reversed(siret)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


@dataclass
class Organisation:
    id: uuid.UUID
    name: str
    org_kind: OrgKind
    siret: str | None
    active: bool
    created_at: datetime

    def __post_init__(self) -> None:
        if self.siret is not None and not valid_siret(self.siret):
            raise InvalidSiret("the SIRET is not 14 digits with a valid check digit")


@dataclass
class ApiClient:
    client_id: str
    org_id: uuid.UUID
    name: str
    secret_hash: str
    roles: frozenset[Role]
    scopes: frozenset[str]
    created_at: datetime
    secret_rotated_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def granted_scopes(self, requested: str | None) -> frozenset[str]:
        """RFC 6749 §3.3: no scope asked means every allowed scope; asking for more than allowed is refused."""
        if not requested:
            return self.scopes
        wanted = frozenset(requested.split())
        extra = wanted - self.scopes
        if extra:
            raise UnknownScopes(f"scopes not allowed for this client: {', '.join(sorted(extra))}")
        return wanted
