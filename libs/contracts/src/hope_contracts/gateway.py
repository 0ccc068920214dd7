"""Events published by the gateway on ``hope.gateway.events``: the partner organisations and their kinds.

Every service learns who the partners are from these events, never from a field of a request (DESIGN.md §3).
Only the organisation's id, its kind and whether it may act travel: its name and SIRET stay in the gateway.
Each event carries the kind, so whichever of them a consumer sees first is enough to know the organisation.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID

from hope_contracts.base import EventContract

OrgKindCode = Literal[
    "programme_operator",
    "immigration_office",
    "training_provider",
    "support_provider",
    "employer",
    "public_employment",
]
"""The values of ``hope_contracts.vocabulary.OrgKind``, as a closed list of codes."""


class OrganisationRegistered(EventContract):
    event_type: ClassVar[str] = "fr.hope.gateway.organisation.registered.v1"
    subject_field: ClassVar[str] = "organisation_id"

    organisation_id: UUID
    org_kind: OrgKindCode
    active: bool
    occurred_at: datetime


class OrganisationActivated(EventContract):
    event_type: ClassVar[str] = "fr.hope.gateway.organisation.activated.v1"
    subject_field: ClassVar[str] = "organisation_id"

    organisation_id: UUID
    org_kind: OrgKindCode
    occurred_at: datetime


class OrganisationDeactivated(EventContract):
    event_type: ClassVar[str] = "fr.hope.gateway.organisation.deactivated.v1"
    subject_field: ClassVar[str] = "organisation_id"

    organisation_id: UUID
    org_kind: OrgKindCode
    occurred_at: datetime
