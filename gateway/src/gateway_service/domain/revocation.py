"""Denials: tokens issued to a client or an organisation up to some instant, or one token, are refused before
their expiry.

Tokens carry ``iat`` in whole seconds, so a denial covers every token issued up to and including its second;
tokens the gateway issues afterwards are dated later (see ``TokenDenial.first_valid_second``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID


def client_holder(client_id: str) -> str:
    return f"client:{client_id}"


def organisation_holder(org_id: UUID) -> str:
    return f"organisation:{org_id}"


def token_holder(token_id: str) -> str:
    """One token (by its ``jti``), revoked by its client (RFC 7009); its denial is dated at the token's ``iat``."""
    return f"token:{token_id}"


@dataclass(frozen=True)
class TokenDenial:
    holder: str
    # Epoch seconds: tokens of ``holder`` whose ``iat`` is at most this are refused.
    issued_until: int
    # Epoch seconds: by then every token the denial covers has expired, and the denial can be forgotten.
    expires_at: int

    @classmethod
    def at(cls, holder: str, instant: datetime, *, token_lifetime_s: int) -> TokenDenial:
        second = int(instant.timestamp())
        return cls(holder=holder, issued_until=second, expires_at=second + token_lifetime_s)

    def refuses(self, issued_at: int) -> bool:
        return issued_at <= self.issued_until

    @property
    def first_valid_second(self) -> int:
        return self.issued_until + 1


def issue_instant(now: datetime, first_valid_second: int | None) -> datetime:
    """When a new token is dated. Dated within the second of a denial (just after a secret rotation, say), it
    would be refused with the old tokens, so it is dated the next second: well inside the verifiers' leeway."""
    if first_valid_second is not None and now.timestamp() < first_valid_second:
        return datetime.fromtimestamp(first_valid_second, UTC)
    return now
