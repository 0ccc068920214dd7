"""The gateway's token verification: the kit's checks, then the deny-list (held in memory, no I/O per request)."""

from __future__ import annotations

import jwt

from gateway_service.service_layer.revocations import Revocations
from hopekit.identity.keys import KeySet
from hopekit.identity.principal import Principal
from hopekit.identity.tokens import InvalidToken, TokenVerifier


def _issued_at(token: str) -> int:
    # Signature and claims were verified just before; this only reads ``iat`` again.
    claims = jwt.decode(token, options={"verify_signature": False})
    return int(claims["iat"])


class RevocationAwareVerifier(TokenVerifier):
    def __init__(self, keys: KeySet, revocations: Revocations, *, issuer: str, audience: str) -> None:
        super().__init__(keys, issuer=issuer, audience=audience)
        self._revocations = revocations

    async def verify(self, token: str) -> Principal:
        principal = await super().verify(token)
        issued_until = self._revocations.issued_until(principal)
        if issued_until is not None and _issued_at(token) <= issued_until:
            raise InvalidToken("token revoked")
        return principal
