"""A session cookie, resolved on every request to its person: or to nothing, once it ended, timed out, or its
person or organisation was deactivated. Behind a complete session the person calls the services with the same
kind of token a partner's client gets, minted here and never shown to the browser."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.identity import Organisation
from gateway_service.domain.people import Person
from gateway_service.domain.sign_in_sessions import PersonSession, SessionTimeouts
from gateway_service.service_layer.keys import KeyRing
from gateway_service.service_layer.people import token_hash
from hopekit.identity.principal import Principal
from hopekit.identity.tokens import mint_token

# last_seen_at is written at most this often: a page's dozen API calls cost one write, not twelve.
_SEEN_RESOLUTION = timedelta(seconds=30)
_CACHE_LIMIT = 10_000


@dataclass(frozen=True)
class SignedIn:
    session: PersonSession
    person: Person
    organisation: Organisation
    # The cookie's value: the CSRF token of the session's forms and calls is bound to it.
    cookie: str

    @property
    def principal(self) -> Principal:
        """The person as the services see them: their organisation and its kind, their roles and scopes."""
        return Principal(
            subject=f"person:{self.person.id}",
            org_id=self.organisation.id,
            org_kind=self.organisation.org_kind,
            roles=self.person.roles,
            scopes=self.person.scopes,
        )


class SessionResolver:
    def __init__(self, uow_factory: Callable[[], GatewayUnitOfWork], timeouts: SessionTimeouts) -> None:
        self._uow_factory = uow_factory
        self.timeouts = timeouts

    async def resolve(self, cookie: str | None) -> SignedIn | None:
        """The session behind the cookie if it still holds (complete or awaiting its second factor)."""
        if not cookie or len(cookie) > 100:
            return None
        now = datetime.now(UTC)
        async with self._uow_factory() as uow:
            session = await uow.sessions.by_token_hash(token_hash(cookie))
            if session is None or session.ended_at is not None:
                return None
            person = await uow.people.get(session.person_id)
            organisation = await uow.organisations.get(session.org_id)
            reason = session.expiry_reason(now, self.timeouts)
            if reason is None and (person is None or not person.active):
                reason = "person_deactivated"
            if reason is None and (organisation is None or not organisation.active):
                reason = "organisation_deactivated"
            if reason is not None:
                await uow.sessions.end(session.id, now, reason)
                await uow.commit()
                return None
            assert person is not None
            assert organisation is not None
            if now - session.last_seen_at >= _SEEN_RESOLUTION:
                await uow.sessions.seen(session.id, now)
                await uow.commit()
            return SignedIn(session, person, organisation, cookie)


class PersonTokens:
    """Access tokens for people's calls through the gateway, one per session reused until shortly before it
    expires. Only the gateway holds them: the session is checked on every call, so ending it stops the calls at
    once, whatever the token's lifetime."""

    def __init__(self, keys: KeyRing, *, issuer: str, audience: str, ttl: timedelta) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl
        self._tokens: dict[tuple[object, ...], tuple[str, float]] = {}

    async def token(self, signed_in: SignedIn) -> str:
        principal = signed_in.principal
        # The roles and scopes are part of the key: a change mints a token that carries the new ones.
        key = (signed_in.session.id, principal.org_kind, principal.roles, principal.scopes)
        now = time.time()
        cached = self._tokens.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        token = mint_token(
            await self._keys.signer(),
            issuer=self._issuer,
            audience=self._audience,
            subject=principal.subject,
            org_id=principal.org_id,
            org_kind=principal.org_kind,
            roles=principal.roles,
            scopes=principal.scopes,
            ttl=self._ttl,
        )
        if len(self._tokens) >= _CACHE_LIMIT:
            self._tokens = {k: v for k, v in self._tokens.items() if v[1] > now}
            if len(self._tokens) >= _CACHE_LIMIT:
                self._tokens.clear()
        # Renewed at two thirds of its life: a slow upstream call never carries an expired token.
        self._tokens[key] = (token, now + self._ttl.total_seconds() * 2 / 3)
        return token
