"""People's accounts, managed by the programme operator's admin (any organisation) or by an organisation's own
admin (its own people, with no scope it does not hold itself). Invitations are single-use links that expire;
a change of roles, scopes or activity ends the person's sessions at once."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.invitations import Invitation
from gateway_service.domain.passwords import check_password
from gateway_service.domain.people import LOCALES, Person, normalised_email
from gateway_service.domain.scopes import ScopeOutsideVocabulary, ensure_known
from gateway_service.service_layer.credentials import hash_secret
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.errors import Conflict, Forbidden, NotFound, ServiceError
from hopekit.identity.principal import Principal


class InvitationInvalid(ServiceError):
    """Unknown, used, withdrawn or expired: the same answer for each, the link says nothing more."""

    category = "not_found"
    code = "invitation_invalid"


@dataclass(frozen=True)
class IssuedInvitation:
    """The link's token in clear: returned once, to whoever invited; only its hash is stored."""

    person: Person
    token: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def managed_person(uow: GatewayUnitOfWork, admin: Principal, person_id: uuid.UUID) -> Person:
    """The person, if ``admin`` manages their organisation; 404 otherwise (their existence is not disclosed)."""
    person = await uow.people.get(person_id)
    if person is None or not manages(admin, person.org_id):
        raise NotFound.of("person")
    return person


def manages(admin: Principal, org_id: uuid.UUID) -> bool:
    return admin.has_role(Role.ADMIN) and (admin.is_operator or admin.org_id == org_id)


def _grantable(admin: Principal, scopes: Iterable[str], known: frozenset[str]) -> frozenset[str]:
    given = ensure_known(scopes, known)
    if not admin.is_operator and not given <= admin.scopes:
        # An organisation's admin delegates what it holds, never more.
        raise ScopeOutsideVocabulary(given - admin.scopes, frozenset(admin.scopes))
    return given


async def invite(
    uow: GatewayUnitOfWork,
    admin: Principal,
    org_id: uuid.UUID,
    *,
    email: str,
    display_name: str,
    roles: Iterable[Role],
    scopes: Iterable[str],
    locale: str,
    known_scopes: frozenset[str],
    lifetime: timedelta,
) -> IssuedInvitation:
    if not manages(admin, org_id):
        raise NotFound.of("organisation")
    organisation = await uow.organisations.get(org_id)
    if organisation is None:
        raise NotFound.of("organisation")
    if not organisation.active:
        raise Conflict("a deactivated organisation cannot invite anyone")
    address = normalised_email(email)
    if await uow.people.by_email(address) is not None:
        raise Conflict("a person with this email address already has an account")
    person = Person(
        id=uuid.uuid4(),
        org_id=org_id,
        email=address,
        display_name=display_name.strip(),
        roles=frozenset(roles),
        scopes=_grantable(admin, scopes, known_scopes),
        locale=locale if locale in LOCALES else "fr",
        created_at=datetime.now(UTC),
    )
    await uow.people.add(person)
    issued = await _new_invitation(uow, person, admin.subject, lifetime, resets_second_factor=False)
    uow.audit(admin, "invite", "person", person.id)
    return issued


async def reinvite(
    uow: GatewayUnitOfWork, admin: Principal, person_id: uuid.UUID, lifetime: timedelta, *, reset_second_factor: bool
) -> IssuedInvitation:
    """A new link (a lost password, an expired invitation); the earlier links stop working."""
    person = await managed_person(uow, admin, person_id)
    if not person.active:
        raise Conflict("a deactivated person cannot be invited again; activate them first")
    issued = await _new_invitation(uow, person, admin.subject, lifetime, resets_second_factor=reset_second_factor)
    uow.audit(admin, "reinvite", "person", person.id, "second factor reset" if reset_second_factor else None)
    return issued


async def _new_invitation(
    uow: GatewayUnitOfWork, person: Person, by: str, lifetime: timedelta, *, resets_second_factor: bool
) -> IssuedInvitation:
    now = datetime.now(UTC)
    await uow.invitations.withdraw_open(person.id, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        id=uuid.uuid4(),
        person_id=person.id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + lifetime,
        invited_by=by[:160],
        resets_second_factor=resets_second_factor,
    )
    await uow.invitations.add(invitation)
    return IssuedInvitation(person=person, token=token, expires_at=invitation.expires_at)


async def change_person(
    uow: GatewayUnitOfWork,
    admin: Principal,
    person_id: uuid.UUID,
    known_scopes: frozenset[str],
    *,
    roles: Iterable[Role] | None,
    scopes: Iterable[str] | None,
    active: bool | None,
) -> Person:
    person = await managed_person(uow, admin, person_id)
    if active is False and person_id == _person_id(admin):
        raise Forbidden("you cannot deactivate your own account")
    new_roles = frozenset(roles) if roles is not None else person.roles
    new_scopes = _grantable(admin, scopes, known_scopes) if scopes is not None else person.scopes
    new_active = person.active if active is None else active
    if (new_roles, new_scopes, new_active) == (person.roles, person.scopes, person.active):
        return person
    if (new_roles, new_scopes) != (person.roles, person.scopes):
        described = f"roles {','.join(sorted(r.value for r in new_roles))}; scopes {' '.join(sorted(new_scopes))}"
        uow.audit(admin, "change_roles", "person", person.id, described)
    if new_active != person.active:
        uow.audit(admin, "activate" if new_active else "deactivate", "person", person.id)
    person.roles, person.scopes, person.active = new_roles, new_scopes, new_active
    await uow.people.save(person)
    # Sessions carry no copy of the roles, but a new role may need a second factor the session never asked for.
    await uow.sessions.end_of_person(person.id, datetime.now(UTC), "account_changed")
    return person


async def end_sessions(uow: GatewayUnitOfWork, admin: Principal, person_id: uuid.UUID) -> None:
    person = await managed_person(uow, admin, person_id)
    await uow.sessions.end_of_person(person.id, datetime.now(UTC), "revoked")
    uow.audit(admin, "end_sessions", "person", person.id)


def _person_id(principal: Principal) -> uuid.UUID | None:
    kind, _, value = principal.subject.partition(":")
    try:
        return uuid.UUID(value) if kind == "person" else None
    except ValueError:
        return None


async def accept_invitation(uow: GatewayUnitOfWork, token: str, password: str) -> Person:
    """The person sets their password; the link is used up, and any session they had is ended."""
    now = datetime.now(UTC)
    invitation = await uow.invitations.by_token_hash(token_hash(token))
    if invitation is None or not invitation.usable(now):
        raise InvitationInvalid("this invitation link is not valid: it was used, replaced or has expired")
    person = await uow.people.get(invitation.person_id, for_update=True)
    organisation = await uow.organisations.get(person.org_id) if person else None
    if person is None or not person.active or organisation is None or not organisation.active:
        raise InvitationInvalid("this invitation link is not valid: it was used, replaced or has expired")
    check_password(password, person.email)
    person.password_hash = await hash_secret(password)
    person.failed_attempts, person.locked_until = 0, None
    if invitation.resets_second_factor:
        person.totp_secret, person.totp_last_step = None, None
    await uow.people.save(person)
    await uow.invitations.use(invitation.id, now)
    await uow.sessions.end_of_person(person.id, now, "password_set")
    uow.audit_sign_in(f"person:{person.id}", person.org_id, "accept_invitation", person.id, None)
    return person


async def invite_operator(
    uow: GatewayUnitOfWork, organisation_name: str, email: str, name: str, scopes: frozenset[str], lifetime: timedelta
) -> IssuedInvitation:
    """The first person of a new installation (from the command line, on the gateway's host): an admin of the
    programme operator with every scope. Someone already invited gets a new link instead."""
    organisation = await uow.organisations.by_name(organisation_name)
    if organisation is None or organisation.org_kind is not OrgKind.PROGRAMME_OPERATOR:
        raise Conflict("no programme operator organisation of that name: run create-admin first")
    command_line = Principal(
        subject="cli:hope-gateway",
        org_id=organisation.id,
        org_kind=OrgKind.PROGRAMME_OPERATOR,
        roles=frozenset({Role.ADMIN}),
        scopes=scopes,
    )
    existing = await uow.people.by_email(normalised_email(email))
    if existing is not None:
        return await reinvite(uow, command_line, existing.id, lifetime, reset_second_factor=False)
    return await invite(
        uow,
        command_line,
        organisation.id,
        email=email,
        display_name=name,
        roles=[Role.ADMIN],
        scopes=scopes,
        locale="fr",
        known_scopes=scopes,
        lifetime=lifetime,
    )
