"""POST /oauth/token (client credentials), POST /oauth/revoke (token revocation) and GET /.well-known/jwks.json."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.api.dependencies import key_ring, revocations, settings, token_throttle, unit_of_work
from gateway_service.api.schemas import TokenResponse
from gateway_service.api.token_throttle import TokenThrottle
from gateway_service.service_layer.errors import TokenRefused
from gateway_service.service_layer.keys import KeyRing
from gateway_service.service_layer.revocations import Revocations
from gateway_service.service_layer.tokens import client_credentials, revoke_token
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import problem_response

router = APIRouter(tags=["oauth"])

_FIELD_LIMIT = 512
# An access token of the gateway's is well under this.
_TOKEN_LIMIT = 8192


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    # RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    return (unquote(client_id), unquote(secret)) if sep else None


def _refusal(error: TokenRefused) -> JSONResponse:
    """A problem document that is also an RFC 6749 §5.2 error response (``error``, ``error_description``)."""
    headers = {"WWW-Authenticate": 'Basic realm="hope"'} if error.status == 401 else {}
    if error.retry_after_s is not None:
        headers["Retry-After"] = str(error.retry_after_s)
    response = problem_response(
        error.status,
        "oauth-" + error.error.replace("_", "-"),
        "Token request refused",
        error.description,
        headers=headers,
        extensions={"error": error.error, "error_description": error.description},
    )
    response.headers["Pragma"] = "no-cache"
    return response


@router.post(
    "/oauth/token",
    response_model=TokenResponse,
    summary="Exchange client credentials for an access token (RFC 6749 §4.4)",
    responses={
        400: {"description": "invalid_request, unsupported_grant_type, invalid_scope"},
        401: {"description": "invalid_client"},
        429: {"description": "slow_down: too many attempts for this client id or from this address"},
    },
)
async def token(
    request: Request,
    uow: Annotated[GatewayUnitOfWork, Depends(unit_of_work)],
    keys: Annotated[KeyRing, Depends(key_ring)],
    denials: Annotated[Revocations, Depends(revocations)],
    throttle: Annotated[TokenThrottle, Depends(token_throttle)],
    config: Annotated[GatewaySettings, Depends(settings)],
    grant_type: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
) -> Any:
    basic = _basic_credentials(request)
    if basic is not None:
        client_id, client_secret = basic
    try:
        await _admitted(request, throttle, client_id, client_secret, scope)
        if grant_type is None:
            raise TokenRefused("invalid_request", "grant_type is required")
        if grant_type != "client_credentials":
            raise TokenRefused("unsupported_grant_type", "only the client_credentials grant is supported")
        if not client_id or not client_secret:
            raise TokenRefused("invalid_client", "client authentication failed", 401)
        async with uow:
            grant = await client_credentials(
                uow,
                keys,
                denials,
                client_id=client_id,
                client_secret=client_secret,
                scope=scope,
                issuer=config.jwt_issuer,
                audience=config.jwt_audience,
                ttl=timedelta(seconds=config.token_ttl_s),
            )
            await uow.commit()
    except TokenRefused as error:
        return _refusal(error)
    body = TokenResponse(access_token=grant.access_token, expires_in=grant.expires_in, scope=grant.scope)
    return JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def _admitted(
    request: Request, throttle: TokenThrottle, client_id: str | None, client_secret: str | None, other: str | None
) -> None:
    """Checks before anything costly, so that a refused attempt spends no argon2 time: field lengths, and the
    attempts of this client id and from this address."""
    if any(len(value) > _FIELD_LIMIT for value in (client_id or "", client_secret or "", other or "")):
        raise TokenRefused("invalid_request", "a parameter is too long")
    address = request.client.host if request.client else "unknown"
    wait = await throttle.retry_after(address, client_id)
    if wait is not None:
        raise TokenRefused("slow_down", f"too many token requests; retry after {wait}s", 429, wait)


@router.post(
    "/oauth/revoke",
    status_code=200,
    summary="Revoke one of the calling client's access tokens (RFC 7009)",
    response_description="Revoked, or nothing to revoke (an invalid or expired token): the answer is the same.",
    responses={
        400: {"description": "invalid_request, unauthorized_client (the token was issued to another client)"},
        401: {"description": "invalid_client"},
        429: {"description": "slow_down: too many attempts for this client id or from this address"},
    },
)
async def revoke(
    request: Request,
    uow: Annotated[GatewayUnitOfWork, Depends(unit_of_work)],
    denials: Annotated[Revocations, Depends(revocations)],
    throttle: Annotated[TokenThrottle, Depends(token_throttle)],
    token: Annotated[str | None, Form()] = None,
    token_type_hint: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
) -> Any:
    # token_type_hint is only a hint (RFC 7009 §2.1): access tokens are the only kind there is.
    basic = _basic_credentials(request)
    if basic is not None:
        client_id, client_secret = basic
    try:
        await _admitted(request, throttle, client_id, client_secret, token_type_hint)
        if not client_id or not client_secret:
            raise TokenRefused("invalid_client", "client authentication failed", 401)
        if not token:
            raise TokenRefused("invalid_request", "token is required")
        if len(token) > _TOKEN_LIMIT:
            raise TokenRefused("invalid_request", "token is too long")
        async with uow:
            await revoke_token(
                uow,
                request.app.state.verifier,
                denials,
                client_id=client_id,
                client_secret=client_secret,
                token=token,
            )
            await uow.commit()
    except TokenRefused as error:
        return _refusal(error)
    return Response(status_code=200, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@router.get("/.well-known/jwks.json", summary="The public keys that verify the gateway's tokens")
async def jwks(keys: Annotated[KeyRing, Depends(key_ring)]) -> JSONResponse:
    return JSONResponse(await keys.jwks())
