"""People of partner organisations who sign in (AKTO's staff, partners' coordinators), beside the API clients
their information systems use. A person acts with the roles and scopes their organisation's admin gave them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from hope_contracts.vocabulary import Role

# The roles that open personal data wide or manage others: a password alone is not enough for them.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.MEDICAL})
LOCALES = ("fr", "en")
# RFC 5321 limits the whole address to 254 characters; the shape check is deliberately plain: the invitation
# link sent to the address is what proves it.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class PersonError(Exception):
    """An account that cannot be made or changed as described; answered 422 (its category)."""

    code = "person"
    category = "unprocessable"


class InvalidEmail(PersonError):
    code = "invalid_email"


def normalised_email(email: str) -> str:
    """Addresses are compared case-insensitively: one person, one account, however they type it."""
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidEmail("the email address is not valid")
    return cleaned


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``max_failures`` failed attempts in a row (password or second factor), the account refuses every
    attempt, a right one included, for ``lock_for``."""

    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)


@dataclass
class Person:
    id: uuid.UUID
    org_id: uuid.UUID
    email: str
    display_name: str
    roles: frozenset[Role]
    scopes: frozenset[str]
    locale: str
    created_at: datetime
    active: bool = True
    password_hash: str | None = None
    # Encrypted at rest (service_layer.second_factor); None until the person has set up an authenticator.
    totp_secret: bytes | None = None
    # The last TOTP time step accepted: a code is good once, even within its window.
    totp_last_step: int | None = None
    failed_attempts: int = 0
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None

    @property
    def needs_second_factor(self) -> bool:
        return not self.roles.isdisjoint(SECOND_FACTOR_ROLES)

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def can_sign_in(self) -> bool:
        """Invited and not yet accepted (no password), or deactivated: no sign-in."""
        return self.active and self.password_hash is not None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def failed(self, now: datetime, policy: LockoutPolicy) -> bool:
        """One more failure; True when it locks the account (the moment to audit a lockout)."""
        if self.locked_until is not None and now >= self.locked_until:
            self.failed_attempts = 0  # the previous lock has run out: a fresh count
            self.locked_until = None
        self.failed_attempts += 1
        if self.failed_attempts >= policy.max_failures and not self.locked(now):
            self.locked_until = now + policy.lock_for
            return True
        return False

    def signed_in(self, now: datetime) -> None:
        self.failed_attempts = 0
        self.locked_until = None
        self.last_sign_in_at = now
