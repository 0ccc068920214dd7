"""Request and response bodies of the admin API and the token endpoint."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, StringConstraints

from gateway_service.domain.identity import ApiClient, Organisation
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.api.schemas import RequestModel

Scope = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.:-]{0,63}$")]


def _as_sent(max_length: int) -> BeforeValidator:
    """The kit's checks, made on the value as it was sent, before trimming: a name of 200 characters behind a tab
    is 201 characters, and the tab a control character, not whitespace to drop."""

    def check(value: Any) -> Any:
        if isinstance(value, str):
            if len(value) > max_length:
                raise ValueError(f"at most {max_length} characters")
            if any(unicodedata.category(char) == "Cc" for char in value):
                raise ValueError("control characters (such as a tab or NUL) are not allowed")
        return value

    return BeforeValidator(check)


# A name as the admin API takes it: bounded and free of control characters as sent, then trimmed.
Name = Annotated[str, _as_sent(200), StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Siret = Annotated[str, StringConstraints(pattern=r"^\d{14}$")]


class NewOrganisation(RequestModel):
    name: Name
    org_kind: OrgKind
    siret: Siret | None = None


class OrganisationChange(RequestModel):
    # A JSON true or false only: 1, "yes" or "false" would be taken as a boolean by pydantic's lax mode.
    active: StrictBool


class OrganisationView(BaseModel):
    id: uuid.UUID
    name: str
    org_kind: OrgKind
    siret: str | None
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, organisation: Organisation) -> OrganisationView:
        return cls(
            id=organisation.id,
            name=organisation.name,
            org_kind=organisation.org_kind,
            siret=organisation.siret,
            active=organisation.active,
            created_at=organisation.created_at,
        )


class NewClient(RequestModel):
    name: Name
    roles: Annotated[list[Role], Field(min_length=1, max_length=5)]
    scopes: Annotated[list[Scope], Field(max_length=50)] = []


class ClientChange(RequestModel):
    roles: Annotated[list[Role], Field(min_length=1, max_length=5)] | None = None
    scopes: Annotated[list[Scope], Field(max_length=50)] | None = None


class ClientView(BaseModel):
    client_id: str
    org_id: uuid.UUID
    name: str
    roles: list[Role]
    scopes: list[str]
    created_at: datetime
    secret_rotated_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, client: ApiClient) -> ClientView:
        return cls(
            client_id=client.client_id,
            org_id=client.org_id,
            name=client.name,
            roles=sorted(client.roles),
            scopes=sorted(client.scopes),
            created_at=client.created_at,
            secret_rotated_at=client.secret_rotated_at,
            last_used_at=client.last_used_at,
            revoked_at=client.revoked_at,
        )


class ClientCredentials(ClientView):
    """Shown once: the secret is not stored and cannot be read again."""

    client_secret: str


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the RFC 6749 token type, not a secret
    expires_in: int
    scope: str


class SigningKeyRotated(BaseModel):
    kid: str
