"""The gateway's token verification: the kit's checks, then the deny-list (held in memory, no I/O per request)."""

from __future__ import annotations

from gateway_service.service_layer.revocations import Revocations
from hopekit.identity.keys import KeySet
from hopekit.identity.principal import Principal
from hopekit.identity.tokens import InvalidToken, TokenVerifier


class RevocationAwareVerifier(TokenVerifier):
    def __init__(self, keys: KeySet, revocations: Revocations, *, issuer: str, audience: str) -> None:
        super().__init__(keys, issuer=issuer, audience=audience)
        self._revocations = revocations

    async def verify(self, token: str) -> Principal:
        principal = await super().verify(token)
        issued_until = self._revocations.issued_until(principal)
        # ``iat`` is a required claim of the gateway's tokens, so None does not occur; it would be refused.
        if issued_until is not None and (principal.issued_at is None or principal.issued_at <= issued_until):
            raise InvalidToken("token revoked")
        return principal
