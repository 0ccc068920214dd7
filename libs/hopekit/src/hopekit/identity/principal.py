"""The principal every endpoint receives: an organisation's API client, its kind and its roles."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from hope_contracts.vocabulary import OrgKind, Role


@dataclass(frozen=True)
class Principal:
    subject: str
    org_id: UUID
    org_kind: OrgKind
    roles: frozenset[Role]
    scopes: frozenset[str]
    token_id: str | None = None
    # The token's ``iat`` (epoch seconds): what a revocation made after it is compared with.
    issued_at: int | None = None

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    def can_write(self) -> bool:
        return self.has_role(Role.ADMIN, Role.WRITER)

    def can_read(self) -> bool:
        return self.has_role(Role.ADMIN, Role.WRITER, Role.READER)

    @property
    def is_operator(self) -> bool:
        return self.org_kind is OrgKind.PROGRAMME_OPERATOR

    @property
    def client_key(self) -> str:
        """Scope of idempotency keys: one API client of one organisation."""
        return f"{self.org_id}:{self.subject}"
