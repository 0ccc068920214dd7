"""The programme's vocabulary shared by every service and the gateway: kinds of partner organisation and the
roles their API clients hold. Tokens carry these values; the kit checks them without defining them."""

from __future__ import annotations

from enum import StrEnum


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
