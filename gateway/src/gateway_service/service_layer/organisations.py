"""Partner organisations and their API clients, managed by the programme operator.

Revoking a client, rotating its secret, changing its roles or scopes, and deactivating its organisation all
deny the tokens issued before: a change of trust takes effect now, not when those tokens expire.

Every registration, activation and deactivation is published (``hope_contracts.gateway``) in the same transaction
as the change: the services keep their own picture of the partners from these events.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.identity import ApiClient, Organisation
from gateway_service.domain.revocation import client_holder, organisation_holder
from gateway_service.domain.scopes import ensure_known
from gateway_service.service_layer.credentials import hash_secret, new_client_id, new_secret
from gateway_service.service_layer.revocations import Revocations
from hope_contracts import gateway as contract
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.errors import Conflict, NotFound


@dataclass(frozen=True)
class IssuedCredentials:
    """A client with its secret in clear: returned once, never stored."""

    client: ApiClient
    secret: str


async def create_organisation(uow: GatewayUnitOfWork, name: str, org_kind: OrgKind, siret: str | None) -> Organisation:
    if await uow.organisations.by_name(name) is not None:
        raise Conflict("an organisation with this name already exists")
    if siret is not None and await uow.organisations.by_siret(siret) is not None:
        raise Conflict("an organisation with this SIRET already exists")
    organisation = Organisation(
        id=uuid.uuid4(), name=name, org_kind=org_kind, siret=siret, active=True, created_at=datetime.now(UTC)
    )
    await uow.organisations.add(organisation)
    uow.publish(_registered(organisation, organisation.created_at))
    return organisation


def _registered(organisation: Organisation, at: datetime) -> contract.OrganisationRegistered:
    return contract.OrganisationRegistered(
        organisation_id=organisation.id,
        org_kind=organisation.org_kind.value,
        active=organisation.active,
        occurred_at=at,
    )


async def publish_all(uow: GatewayUnitOfWork, batch: int = 500) -> int:
    """Every organisation as it stands, published again: for an installation whose organisations existed before
    the gateway published them, or a service whose projection starts empty. Consumers record the same state
    twice without harm."""
    count, after, now = 0, None, datetime.now(UTC)
    while found := await uow.organisations.list(after, batch):
        uow.publish(*(_registered(organisation, now) for organisation in found))
        count += len(found)
        after = found[-1].id
    return count


async def get_organisation(uow: GatewayUnitOfWork, org_id: uuid.UUID) -> Organisation:
    organisation = await uow.organisations.get(org_id)
    if organisation is None:
        raise NotFound.of("organisation")
    return organisation


async def _keeps_an_admin(
    uow: GatewayUnitOfWork, *, losing_client: str | None = None, losing_org: uuid.UUID | None = None
) -> None:
    """Conflict unless an admin client of the programme operator would still get tokens after the change: without
    one, only the command line on the gateway's host could manage the platform again."""
    remaining = [
        client
        for client in await uow.clients.operator_admins()
        if client.client_id != losing_client and client.org_id != losing_org
    ]
    if not remaining:
        raise Conflict("this would leave the programme operator without an admin client that can get a token")


async def set_active(
    uow: GatewayUnitOfWork,
    org_id: uuid.UUID,
    active: bool,
    revocations: Revocations,
    caller_org_id: uuid.UUID | None = None,
) -> Organisation:
    """``caller_org_id``: the organisation of whoever asks, which may not deactivate itself."""
    organisation = await get_organisation(uow, org_id)
    if not active and organisation.active:
        if org_id == caller_org_id:
            raise Conflict("an organisation cannot deactivate itself: its admin would be locked out")
        await _keeps_an_admin(uow, losing_org=org_id)
    if organisation.active == active:
        return organisation
    organisation.active = active
    await uow.organisations.save(organisation)
    now = datetime.now(UTC)
    change = contract.OrganisationActivated if active else contract.OrganisationDeactivated
    uow.publish(change(organisation_id=org_id, org_kind=organisation.org_kind.value, occurred_at=now))
    if not active:
        await revocations.deny(uow, organisation_holder(org_id), now)
        # Its people's sessions too: they end with their organisation, not at their timeout.
        await uow.sessions.end_of_organisation(org_id, now, "organisation_deactivated")
    return organisation


async def create_client(
    uow: GatewayUnitOfWork,
    org_id: uuid.UUID,
    name: str,
    roles: Iterable[Role],
    scopes: Iterable[str],
    known_scopes: frozenset[str],
) -> IssuedCredentials:
    allowed = ensure_known(scopes, known_scopes)
    await get_organisation(uow, org_id)
    secret = new_secret()
    client = ApiClient(
        client_id=new_client_id(),
        org_id=org_id,
        name=name,
        secret_hash=await hash_secret(secret),
        roles=frozenset(roles),
        scopes=allowed,
        created_at=datetime.now(UTC),
    )
    await uow.clients.add(client)
    return IssuedCredentials(client=client, secret=secret)


async def get_client(uow: GatewayUnitOfWork, client_id: str) -> ApiClient:
    client = await uow.clients.get(client_id)
    if client is None:
        raise NotFound.of("API client")
    return client


async def change_client(
    uow: GatewayUnitOfWork,
    client_id: str,
    revocations: Revocations,
    known_scopes: frozenset[str],
    *,
    roles: Iterable[Role] | None = None,
    scopes: Iterable[str] | None = None,
) -> ApiClient:
    """New roles or scopes hold from now on: tokens carrying the old ones are denied."""
    allowed = ensure_known(scopes, known_scopes) if scopes is not None else None
    client = await get_client(uow, client_id)
    if client.revoked:
        raise Conflict("a revoked client cannot be changed")
    new_roles = frozenset(roles) if roles is not None else client.roles
    new_scopes = allowed if allowed is not None else client.scopes
    if (new_roles, new_scopes) == (client.roles, client.scopes):
        return client
    if Role.ADMIN in client.roles and Role.ADMIN not in new_roles:
        await _keeps_an_admin(uow, losing_client=client_id)
    client.roles, client.scopes = new_roles, new_scopes
    await uow.clients.save(client)
    await revocations.deny(uow, client_holder(client_id), datetime.now(UTC))
    return client


async def rotate_secret(uow: GatewayUnitOfWork, client_id: str, revocations: Revocations) -> IssuedCredentials:
    """A secret is rotated when it may have leaked, so tokens got with it are denied too."""
    client = await get_client(uow, client_id)
    if client.revoked:
        raise Conflict("a revoked client cannot get a new secret")
    secret = new_secret()
    client.secret_hash = await hash_secret(secret)
    client.secret_rotated_at = datetime.now(UTC)
    await uow.clients.save(client)
    await revocations.deny(uow, client_holder(client_id), client.secret_rotated_at)
    return IssuedCredentials(client=client, secret=secret)


async def revoke_client(uow: GatewayUnitOfWork, client_id: str, revocations: Revocations) -> ApiClient:
    client = await get_client(uow, client_id)
    if not client.revoked:
        if Role.ADMIN in client.roles:
            await _keeps_an_admin(uow, losing_client=client_id)
        client.revoked_at = datetime.now(UTC)
        await uow.clients.save(client)
        await revocations.deny(uow, client_holder(client_id), client.revoked_at)
    return client


async def bootstrap_admin(
    uow: GatewayUnitOfWork, organisation_name: str, client_name: str, scopes: frozenset[str]
) -> IssuedCredentials:
    """The first admin client of a new installation, in the programme operator's organisation."""
    organisation = await uow.organisations.by_name(organisation_name)
    if organisation is None:
        organisation = await create_organisation(uow, organisation_name, OrgKind.PROGRAMME_OPERATOR, None)
    elif organisation.org_kind is not OrgKind.PROGRAMME_OPERATOR:
        raise Conflict("the organisation exists and is not the programme operator")
    # Every scope: the operator's admin may act on every service, as far as the services' own rules allow.
    return await create_client(uow, organisation.id, client_name, [Role.ADMIN], scopes, scopes)
