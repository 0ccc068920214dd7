"""Who acts: the token's subject, its organisation (id and kind) and its roles."""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class OrgKind(StrEnum):
    PROGRAMME_OPERATOR = "programme_operator"
    IMMIGRATION_OFFICE = "immigration_office"
    TRAINING_PROVIDER = "training_provider"
    SUPPORT_PROVIDER = "support_provider"
    EMPLOYER = "employer"
    PUBLIC_EMPLOYMENT = "public_employment"


class Role(StrEnum):
    ADMIN = "admin"
    WRITER = "writer"
    READER = "reader"
    MEDICAL = "medical"
    REPORTING = "reporting"


# `reporting` alone reads nothing here: aggregates come from the reporting service.
READING_ROLES = frozenset({Role.ADMIN, Role.WRITER, Role.READER, Role.MEDICAL})
WRITING_ROLES = frozenset({Role.ADMIN, Role.WRITER})


@dataclass(frozen=True)
class Actor:
    subject: str
    org_id: UUID
    org_kind: OrgKind
    roles: frozenset[Role]

    def reads(self) -> bool:
        return bool(self.roles & READING_ROLES)

    def writes(self) -> bool:
        return bool(self.roles & WRITING_ROLES)

    def is_medical(self) -> bool:
        return Role.MEDICAL in self.roles
