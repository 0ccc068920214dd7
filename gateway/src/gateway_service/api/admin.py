"""/admin/v1: the programme operator manages partner organisations, their API clients and the signing keys."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, status

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.api.dependencies import key_ring, known_scopes, operator_admin, revocations
from gateway_service.api.idempotency import idempotent_for
from gateway_service.api.schemas import (
    ClientChange,
    ClientCredentials,
    ClientView,
    NewClient,
    NewOrganisation,
    OrganisationChange,
    OrganisationView,
    SigningKeyRotated,
)
from gateway_service.service_layer import organisations
from gateway_service.service_layer.keys import KeyRing
from gateway_service.service_layer.revocations import Revocations
from hopekit.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, after_id, page_of
from hopekit.api.transaction import service_router, unit_of_work
from hopekit.identity.principal import Principal

# Every route runs in the request's transaction (the kit commits after the answer is built, before it is sent).
router = service_router(prefix="/admin/v1", tags=["admin"])

Admin = Annotated[Principal, Depends(operator_admin)]
UoW = Annotated[GatewayUnitOfWork, Depends(unit_of_work)]
Denials = Annotated[Revocations, Depends(revocations)]
Vocabulary = Annotated[frozenset[str], Depends(known_scopes)]
# On the creating POSTs: a retry with the same Idempotency-Key gets the first answer (its secret included).
IDEMPOTENT = idempotent_for(operator_admin)

_LOCKOUT: dict[str, Any] = {
    "description": "The change would lock the programme operator out: its own organisation deactivated, or no admin "
    "client left that can get a token",
    "content": {"application/problem+json": {}},
}


def _credentials(issued: organisations.IssuedCredentials) -> ClientCredentials:
    return ClientCredentials(**ClientView.of(issued.client).model_dump(), client_secret=issued.secret)


@router.post(
    "/organisations", status_code=status.HTTP_201_CREATED, response_model=OrganisationView, dependencies=[IDEMPOTENT]
)
async def create_organisation(body: NewOrganisation, principal: Admin, uow: UoW) -> OrganisationView:
    organisation = await organisations.create_organisation(uow, body.name, body.org_kind, body.siret)
    uow.audit(principal, "create", "organisation", organisation.id)
    return OrganisationView.of(organisation)


@router.get("/organisations", response_model=Page[OrganisationView])
async def list_organisations(
    principal: Admin,
    uow: UoW,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[OrganisationView]:
    after = after_id(cursor)
    found = await uow.organisations.list(after, limit + 1)
    return page_of(found, limit, OrganisationView.of)


@router.get("/organisations/{org_id}", response_model=OrganisationView)
async def get_organisation(org_id: UUID, principal: Admin, uow: UoW) -> OrganisationView:
    return OrganisationView.of(await organisations.get_organisation(uow, org_id))


@router.patch("/organisations/{org_id}", response_model=OrganisationView, responses={409: _LOCKOUT})
async def change_organisation(
    org_id: UUID, body: OrganisationChange, principal: Admin, uow: UoW, denials: Denials
) -> OrganisationView:
    """Deactivating an organisation stops its clients from getting tokens and denies the ones they hold. The
    caller's own organisation, or the one holding the operator's last admin clients, cannot be deactivated (409)."""
    organisation = await organisations.set_active(uow, org_id, body.active, denials, principal.org_id)
    uow.audit(principal, "activate" if body.active else "deactivate", "organisation", org_id)
    return OrganisationView.of(organisation)


@router.post(
    "/organisations/{org_id}/clients",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientCredentials,
    dependencies=[IDEMPOTENT],
)
async def create_client(
    org_id: UUID, body: NewClient, principal: Admin, uow: UoW, scopes: Vocabulary
) -> ClientCredentials:
    """``scopes`` are ``<service>:read`` and ``<service>:write``; anything else is refused."""
    issued = await organisations.create_client(uow, org_id, body.name, body.roles, body.scopes, scopes)
    uow.audit(principal, "create", "api_client", issued.client.client_id)
    return _credentials(issued)


@router.get("/organisations/{org_id}/clients", response_model=Page[ClientView])
async def list_clients(org_id: UUID, principal: Admin, uow: UoW) -> Page[ClientView]:
    await organisations.get_organisation(uow, org_id)
    clients = await uow.clients.of_organisation(org_id)
    return Page(items=[ClientView.of(c) for c in clients])


@router.get("/clients/{client_id}", response_model=ClientView)
async def get_client(client_id: str, principal: Admin, uow: UoW) -> ClientView:
    return ClientView.of(await organisations.get_client(uow, client_id))


@router.patch("/clients/{client_id}", response_model=ClientView, responses={409: _LOCKOUT})
async def change_client(
    client_id: str, body: ClientChange, principal: Admin, uow: UoW, denials: Denials, scopes: Vocabulary
) -> ClientView:
    """New roles or scopes; tokens issued with the old ones are refused from now on."""
    client = await organisations.change_client(uow, client_id, denials, scopes, roles=body.roles, scopes=body.scopes)
    uow.audit(principal, "change", "api_client", client_id)
    return ClientView.of(client)


@router.post("/clients/{client_id}/rotate-secret", response_model=ClientCredentials)
async def rotate_secret(client_id: str, principal: Admin, uow: UoW, denials: Denials) -> ClientCredentials:
    """A new secret; the old one, and every token issued with it, stop working at once."""
    issued = await organisations.rotate_secret(uow, client_id, denials)
    uow.audit(principal, "rotate_secret", "api_client", client_id)
    return _credentials(issued)


@router.post("/clients/{client_id}/revoke", response_model=ClientView, responses={409: _LOCKOUT})
async def revoke_client(client_id: str, principal: Admin, uow: UoW, denials: Denials) -> ClientView:
    """The client gets no more tokens, and the ones it holds are refused at once."""
    client = await organisations.revoke_client(uow, client_id, denials)
    uow.audit(principal, "revoke", "api_client", client_id)
    return ClientView.of(client)


@router.post("/signing-keys/rotate", response_model=SigningKeyRotated)
async def rotate_signing_key(
    principal: Admin, uow: UoW, keys: Annotated[KeyRing, Depends(key_ring)]
) -> SigningKeyRotated:
    """A new signing key; the previous one stays in the JWKS until the tokens it signed have expired."""
    kid = await keys.rotate()
    uow.audit(principal, "rotate", "signing_key", kid)
    return SigningKeyRotated(kid=kid)
