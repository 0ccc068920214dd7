"""Request and response bodies of the people part of the admin API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StringConstraints

from gateway_service.api.schemas import Name, Scope, _as_sent
from gateway_service.domain.people import Person
from hope_contracts.vocabulary import Role
from hopekit.api.schemas import RequestModel

Email = Annotated[str, _as_sent(254), StringConstraints(min_length=3, max_length=254, strip_whitespace=True)]
Roles = Annotated[list[Role], Field(min_length=1, max_length=5)]
Scopes = Annotated[list[Scope], Field(max_length=50)]


class NewPerson(RequestModel):
    email: Email
    display_name: Name
    roles: Roles
    scopes: Scopes = []
    locale: Literal["fr", "en"] = "fr"


class PersonChange(RequestModel):
    roles: Roles | None = None
    scopes: Scopes | None = None
    active: StrictBool | None = None


class NewInvitation(RequestModel):
    # A lost phone: the person sets up a new authenticator when they accept.
    reset_second_factor: StrictBool = False


class PersonView(BaseModel):
    id: uuid.UUID
    org_id: uuid.UUID
    email: str
    display_name: str
    roles: list[Role]
    scopes: list[str]
    locale: str
    active: bool
    invitation_accepted: bool
    second_factor: bool
    locked: bool
    created_at: datetime
    last_sign_in_at: datetime | None

    @classmethod
    def of(cls, person: Person) -> PersonView:
        return cls(
            id=person.id,
            org_id=person.org_id,
            email=person.email,
            display_name=person.display_name,
            roles=sorted(person.roles),
            scopes=sorted(person.scopes),
            locale=person.locale,
            active=person.active,
            invitation_accepted=person.password_hash is not None,
            second_factor=person.has_second_factor,
            locked=person.locked(datetime.now(UTC)),
            created_at=person.created_at,
            last_sign_in_at=person.last_sign_in_at,
        )


class InvitationLink(BaseModel):
    """Shown once, to whoever invited: send it to the person. Only its hash is stored."""

    person: PersonView
    invitation_url: str
    expires_at: datetime
