"""OAuth2 client credentials (RFC 6749 §4.4): a client's id and secret exchanged for a short-lived JWT; and token
revocation (RFC 7009): a client withdraws one of its own tokens before it expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.identity import ApiClient, Organisation, UnknownScopes
from gateway_service.domain.revocation import issue_instant, token_holder
from gateway_service.service_layer.credentials import secret_matches
from gateway_service.service_layer.errors import TokenRefused
from gateway_service.service_layer.keys import KeyRing
from gateway_service.service_layer.revocations import Revocations
from hopekit.identity.tokens import InvalidToken, TokenVerifier, mint_token

_BAD_CLIENT = "client authentication failed"


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    expires_in: int
    scope: str


async def authenticated_client(
    uow: GatewayUnitOfWork, client_id: str, client_secret: str
) -> tuple[ApiClient, Organisation]:
    """The client whose id and secret these are, active and of an active organisation; else ``invalid_client``."""
    client = await uow.clients.get(client_id)
    # The hash is checked even for an unknown client: the answer time says nothing about which ids exist.
    if not await secret_matches(client_secret, client.secret_hash if client else None) or client is None:
        raise TokenRefused("invalid_client", _BAD_CLIENT, 401)
    if client.revoked:
        raise TokenRefused("invalid_client", _BAD_CLIENT, 401)
    organisation = await uow.organisations.get(client.org_id)
    if organisation is None or not organisation.active:
        raise TokenRefused("invalid_client", _BAD_CLIENT, 401)
    return client, organisation


async def client_credentials(
    uow: GatewayUnitOfWork,
    keys: KeyRing,
    revocations: Revocations,
    *,
    client_id: str,
    client_secret: str,
    scope: str | None,
    issuer: str,
    audience: str,
    ttl: timedelta,
) -> TokenGrant:
    client, organisation = await authenticated_client(uow, client_id, client_secret)
    try:
        scopes = client.granted_scopes(scope)
    except UnknownScopes as error:
        raise TokenRefused("invalid_scope", str(error)) from error
    first_valid = await revocations.first_valid_second(uow, client.client_id, organisation.id)
    now = issue_instant(datetime.now(UTC), first_valid)
    token = mint_token(
        await keys.signer(),
        issuer=issuer,
        audience=audience,
        subject=client.client_id,
        org_id=organisation.id,
        org_kind=organisation.org_kind,
        roles=client.roles,
        scopes=scopes,
        ttl=ttl,
        now=now,
    )
    await uow.clients.touch(client.client_id, now)
    return TokenGrant(access_token=token, expires_in=int(ttl.total_seconds()), scope=" ".join(sorted(scopes)))


async def revoke_token(
    uow: GatewayUnitOfWork,
    verifier: TokenVerifier,
    revocations: Revocations,
    *,
    client_id: str,
    client_secret: str,
    token: str,
) -> None:
    """RFC 7009 §2.1: after the client's own authentication, its token is refused from now on, here and on every
    gateway instance. A token that is no longer valid (forged, expired, already refused) needs nothing done; a
    token issued to another client is not this client's to revoke."""
    client, _ = await authenticated_client(uow, client_id, client_secret)
    try:
        principal = await verifier.verify(token)
    except InvalidToken:
        return
    if principal.subject != client.client_id:
        raise TokenRefused("unauthorized_client", "the token was not issued to this client")
    if principal.token_id is None or principal.issued_at is None:
        return
    issued = datetime.fromtimestamp(principal.issued_at, UTC)
    await revocations.deny(uow, token_holder(principal.token_id), issued)
