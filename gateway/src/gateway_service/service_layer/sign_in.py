"""Signing in: password, then (for admin and medical roles) a second factor; sessions kept on the server.

Every attempt is audited. A failure says nothing about why to the person signing in (unknown address, wrong
password, locked account and deactivated account look the same), only the audit log does. The password is
always checked against a hash, an unknown address's included, so that the answer time tells nothing either.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cryptography.exceptions import InvalidTag

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.people import InvalidEmail, LockoutPolicy, Person, normalised_email
from gateway_service.domain.sign_in_sessions import PersonSession
from gateway_service.service_layer.credentials import secret_matches
from gateway_service.service_layer.people import token_hash
from gateway_service.service_layer.sealing import Sealer
from gateway_service.service_layer.second_factor import accepted_step


class NextStep(StrEnum):
    DONE = "done"
    SECOND_FACTOR = "second_factor"
    SECOND_FACTOR_SETUP = "second_factor_setup"


@dataclass(frozen=True)
class SignInResult:
    """``session_token`` is the new cookie's value when a session (complete or awaiting its second factor) was
    opened; None for a refusal."""

    session_token: str | None
    next_step: NextStep | None = None

    @property
    def refused(self) -> bool:
        return self.session_token is None


REFUSED = SignInResult(None)


async def open_session(uow: GatewayUnitOfWork, person: Person, now: datetime, *, complete: bool) -> str:
    token = secrets.token_urlsafe(32)
    session = PersonSession(
        id=uuid.uuid4(),
        person_id=person.id,
        org_id=person.org_id,
        created_at=now,
        last_seen_at=now,
        completed_at=now if complete else None,
    )
    await uow.sessions.add(session, token_hash(token))
    return token


async def sign_in(
    uow: GatewayUnitOfWork, email: str, password: str, now: datetime, policy: LockoutPolicy, address: str
) -> SignInResult:
    try:
        person = await uow.people.by_email(normalised_email(email), for_update=True)
    except InvalidEmail:
        person = None
    matches = await secret_matches(password, person.password_hash if person else None)
    origin = f"from {address}"
    if person is None:
        uow.audit_sign_in("anonymous", None, "sign_in_failed", "unknown", f"unknown_account; {origin}")
        return REFUSED
    actor = f"person:{person.id}"
    organisation = await uow.organisations.get(person.org_id)
    if not person.can_sign_in or organisation is None or not organisation.active:
        uow.audit_sign_in(actor, person.org_id, "sign_in_failed", person.id, f"inactive; {origin}")
        return REFUSED
    if person.locked(now):
        uow.audit_sign_in(actor, person.org_id, "sign_in_failed", person.id, f"locked; {origin}")
        return REFUSED
    if not matches:
        await _failed(uow, person, now, policy, "bad_password", origin)
        return REFUSED
    if person.needs_second_factor or person.has_second_factor:
        uow.audit_sign_in(actor, person.org_id, "password_accepted", person.id, origin)
        step = NextStep.SECOND_FACTOR if person.has_second_factor else NextStep.SECOND_FACTOR_SETUP
        return SignInResult(await open_session(uow, person, now, complete=False), step)
    return SignInResult(await _completed(uow, person, now, origin), NextStep.DONE)


async def _failed(
    uow: GatewayUnitOfWork, person: Person, now: datetime, policy: LockoutPolicy, why: str, origin: str
) -> None:
    locks = person.failed(now, policy)
    await uow.people.save(person)
    actor = f"person:{person.id}"
    uow.audit_sign_in(actor, person.org_id, "sign_in_failed", person.id, f"{why}; {origin}")
    if locks:
        uow.audit_sign_in(actor, person.org_id, "lockout", person.id, f"{person.failed_attempts} failures; {origin}")
        await uow.sessions.end_of_person(person.id, now, "locked")


async def _completed(uow: GatewayUnitOfWork, person: Person, now: datetime, origin: str) -> str:
    person.signed_in(now)
    await uow.people.save(person)
    uow.audit_sign_in(f"person:{person.id}", person.org_id, "sign_in", person.id, origin)
    return await open_session(uow, person, now, complete=True)


async def pending_person(uow: GatewayUnitOfWork, session: PersonSession) -> Person | None:
    """The person a session awaiting its second factor belongs to, locked for the attempt."""
    if session.complete:
        return None
    return await uow.people.get(session.person_id, for_update=True)


async def second_factor(
    uow: GatewayUnitOfWork,
    session: PersonSession,
    code: str,
    now: datetime,
    policy: LockoutPolicy,
    sealer: Sealer,
    address: str,
    *,
    new_secret: str | None = None,
) -> SignInResult:
    """The code of the person's authenticator, or (``new_secret``) of the one they are setting up. Success ends
    the waiting session and opens a complete one under a new token: the cookie changes with the privilege."""
    person = await pending_person(uow, session)
    origin = f"from {address}"
    if person is None or not person.can_sign_in:
        return REFUSED
    if person.locked(now):
        uow.audit_sign_in(f"person:{person.id}", person.org_id, "second_factor_failed", person.id, f"locked; {origin}")
        return REFUSED
    secret = new_secret
    if secret is None and person.totp_secret is not None:
        try:
            secret = sealer.open(person.totp_secret, str(person.id))
        except InvalidTag:
            secret = None
    step = accepted_step(secret, code, now, person.totp_last_step) if secret else None
    if step is None:
        await _failed(uow, person, now, policy, "bad_second_factor", origin)
        return REFUSED
    if new_secret is not None:
        person.totp_secret = sealer.seal(new_secret, str(person.id))
        uow.audit_sign_in(f"person:{person.id}", person.org_id, "second_factor_enrolled", person.id, origin)
    person.totp_last_step = step
    await uow.sessions.end(session.id, now, "second_factor_done")
    return SignInResult(await _completed(uow, person, now, origin), NextStep.DONE)


async def sign_out(uow: GatewayUnitOfWork, session: PersonSession, now: datetime) -> None:
    await uow.sessions.end(session.id, now, "signed_out")
    uow.audit_sign_in(f"person:{session.person_id}", session.org_id, "sign_out", session.person_id, None)
