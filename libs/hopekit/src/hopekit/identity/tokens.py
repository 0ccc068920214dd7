"""Issuing and verifying the platform's access tokens (JWT, asymmetric signature, ``kid`` in the header)."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
from jwt import PyJWK

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.keys import SIGNING_ALGORITHM, KeySet, SigningKey
from hopekit.identity.principal import Principal

# Only asymmetric algorithms: a symmetric one would let anyone holding a public key sign.
ACCEPTED_ALGORITHMS = frozenset({"ES256", "ES384", "RS256", "PS256", "EdDSA"})
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "org_id", "org_kind", "roles"]
# The longest a token may live (``exp`` - ``iat``): the gateway issues none longer (its token_ttl_s is at most an
# hour), so a longer one was signed with a leaked key or by a gateway misconfigured, and is refused.
MAX_TOKEN_LIFETIME_S = 3600


class InvalidToken(Exception):
    """The token is missing, malformed, badly signed, expired or not meant for us; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mint_token(
    key: SigningKey,
    *,
    issuer: str,
    audience: str,
    subject: str,
    org_id: UUID,
    org_kind: OrgKind,
    roles: Iterable[Role],
    scopes: Iterable[str] = (),
    ttl: timedelta = timedelta(minutes=15),
    now: datetime | None = None,
) -> str:
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl,
        "jti": uuid.uuid4().hex,
        "org_id": str(org_id),
        "org_kind": org_kind.value,
        "roles": sorted(role.value for role in roles),
        "scope": " ".join(sorted(scopes)),
    }
    return jwt.encode(claims, key.private_pem, algorithm=SIGNING_ALGORITHM, headers={"kid": key.kid})


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    expires_at: float
    kid: str
    key: PyJWK


class TokenVerifier:
    """Checks a bearer token and gives its principal.

    A client sends the same token on every call until it expires, so a token that passed every check is
    remembered (by its exact text) until its ``exp``: later calls only check that it has not expired and that
    the key set still holds the very key that verified it, and skip the signature check.
    """

    def __init__(
        self,
        keys: KeySet,
        *,
        issuer: str,
        audience: str,
        leeway_s: int = 30,
        cache_size: int = 10_000,
        max_lifetime_s: int = MAX_TOKEN_LIFETIME_S,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway_s = leeway_s
        self._cache_size = cache_size
        self._max_lifetime_s = max_lifetime_s
        self._verified: dict[str, _Verified] = {}

    async def verify(self, token: str) -> Principal:
        known = self._verified.get(token)
        if known is not None:
            # Same rule as the full check: expired once ``exp`` is more than the leeway in the past.
            if time.time() - self._leeway_s < known.expires_at and await self._keys.key_for(known.kid) is known.key:
                return known.principal
            self._verified.pop(token, None)
        principal, verified = await self._verify(token)
        self._remember(token, verified)
        return principal

    def _remember(self, token: str, verified: _Verified) -> None:
        if self._cache_size <= 0:
            return
        if len(self._verified) >= self._cache_size:
            now = time.time() - self._leeway_s
            for stale in [t for t, v in self._verified.items() if v.expires_at <= now]:
                del self._verified[stale]
            # Still full of live tokens: forget the oldest, a tenth more than needed so this scan stays rare.
            excess = len(self._verified) - self._cache_size + 1
            if excess > 0:
                for oldest in list(itertools.islice(self._verified, excess + self._cache_size // 10)):
                    del self._verified[oldest]
        self._verified[token] = verified

    async def _verify(self, token: str) -> tuple[Principal, _Verified]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as error:
            raise InvalidToken("malformed token") from error
        algorithm = header.get("alg")
        if algorithm not in ACCEPTED_ALGORITHMS:
            raise InvalidToken("signature algorithm not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("token names no signing key")
        key = await self._keys.key_for(kid)
        if key is None:
            raise InvalidToken("unknown signing key")
        if key.algorithm_name != algorithm:
            raise InvalidToken("signature algorithm does not match the key")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway_s,
                options={"require": REQUIRED_CLAIMS, "verify_nbf": True},
            )
        except jwt.ExpiredSignatureError as error:
            raise InvalidToken("token expired") from error
        except jwt.ImmatureSignatureError as error:
            raise InvalidToken("token not yet valid") from error
        except jwt.InvalidAudienceError as error:
            raise InvalidToken("token not meant for this platform") from error
        except jwt.InvalidIssuerError as error:
            raise InvalidToken("token from an unknown issuer") from error
        except jwt.PyJWTError as error:
            raise InvalidToken("invalid token") from error
        principal = _principal(claims)
        try:
            expires_at = float(claims["exp"])
            issued_at = float(claims["iat"])
        except (TypeError, ValueError) as error:
            raise InvalidToken("invalid token") from error
        if expires_at - issued_at > self._max_lifetime_s:
            raise InvalidToken("token lives longer than the platform allows")
        return principal, _Verified(principal, expires_at, kid, key)


def _principal(claims: dict[str, Any]) -> Principal:
    try:
        return Principal(
            subject=str(claims["sub"]),
            org_id=UUID(str(claims["org_id"])),
            org_kind=OrgKind(claims["org_kind"]),
            roles=frozenset(Role(role) for role in claims["roles"]),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            token_id=claims.get("jti"),
            issued_at=int(claims["iat"]) if "iat" in claims else None,
        )
    except (ValueError, TypeError, KeyError) as error:
        raise InvalidToken("token claims are not a valid principal") from error
