"""People, their invitations and their sessions: every query on those tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.tables import invitations, people, person_sessions
from gateway_service.domain.invitations import Invitation
from gateway_service.domain.people import Person
from gateway_service.domain.sign_in_sessions import PersonSession
from hope_contracts.vocabulary import Role
from hopekit.db.keyset import after_key


def _person(row: Any) -> Person:
    return Person(
        id=row.id,
        org_id=row.org_id,
        email=row.email,
        display_name=row.display_name,
        roles=frozenset(Role(role) for role in row.roles),
        scopes=frozenset(row.scopes),
        locale=row.locale,
        created_at=row.created_at,
        active=row.active,
        password_hash=row.password_hash,
        totp_secret=row.totp_secret,
        totp_last_step=row.totp_last_step,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        last_sign_in_at=row.last_sign_in_at,
    )


def _person_values(person: Person) -> dict[str, Any]:
    return {
        "org_id": person.org_id,
        "email": person.email,
        "display_name": person.display_name,
        "roles": sorted(role.value for role in person.roles),
        "scopes": sorted(person.scopes),
        "locale": person.locale,
        "active": person.active,
        "password_hash": person.password_hash,
        "totp_secret": person.totp_secret,
        "totp_last_step": person.totp_last_step,
        "failed_attempts": person.failed_attempts,
        "locked_until": person.locked_until,
        "last_sign_in_at": person.last_sign_in_at,
    }


class PersonRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, person: Person) -> None:
        await self._connection.execute(
            insert(people).values(id=person.id, created_at=person.created_at, **_person_values(person))
        )

    async def get(self, person_id: uuid.UUID, *, for_update: bool = False) -> Person | None:
        query = select(people).where(people.c.id == person_id)
        if for_update:
            # Two sign-in attempts at once must both count towards the lockout.
            query = query.with_for_update()
        row = (await self._connection.execute(query)).one_or_none()
        return _person(row) if row is not None else None

    async def by_email(self, email: str, *, for_update: bool = False) -> Person | None:
        query = select(people).where(people.c.email == email)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).one_or_none()
        return _person(row) if row is not None else None

    async def of_organisation(self, org_id: uuid.UUID, after: uuid.UUID | None, limit: int) -> list[Person]:
        query = select(people).where(people.c.org_id == org_id)
        query = after_key(query, people.c.id, after, limit)
        return [_person(row) for row in await self._connection.execute(query)]

    async def save(self, person: Person) -> None:
        await self._connection.execute(update(people).where(people.c.id == person.id).values(**_person_values(person)))


def _invitation(row: Any) -> Invitation:
    return Invitation(
        id=row.id,
        person_id=row.person_id,
        token_hash=row.token_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        invited_by=row.invited_by,
        used_at=row.used_at,
        resets_second_factor=row.resets_second_factor,
    )


class InvitationRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, invitation: Invitation) -> None:
        await self._connection.execute(
            insert(invitations).values(
                id=invitation.id,
                person_id=invitation.person_id,
                token_hash=invitation.token_hash,
                created_at=invitation.created_at,
                expires_at=invitation.expires_at,
                invited_by=invitation.invited_by,
                used_at=invitation.used_at,
                resets_second_factor=invitation.resets_second_factor,
            )
        )

    async def by_token_hash(self, token_hash: str) -> Invitation | None:
        # Locked: a link clicked twice at once is used once.
        query = select(invitations).where(invitations.c.token_hash == token_hash).with_for_update()
        row = (await self._connection.execute(query)).one_or_none()
        return _invitation(row) if row is not None else None

    async def use(self, invitation_id: uuid.UUID, at: datetime) -> None:
        await self._connection.execute(update(invitations).where(invitations.c.id == invitation_id).values(used_at=at))

    async def withdraw_open(self, person_id: uuid.UUID, at: datetime) -> None:
        """A new link replaces the person's earlier ones: only the latest works."""
        await self._connection.execute(
            update(invitations)
            .where(invitations.c.person_id == person_id, invitations.c.used_at.is_(None))
            .values(used_at=at)
        )


def _session(row: Any) -> PersonSession:
    return PersonSession(
        id=row.id,
        person_id=row.person_id,
        org_id=row.org_id,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        completed_at=row.completed_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
    )


class SessionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, session: PersonSession, token_hash: str) -> None:
        await self._connection.execute(
            insert(person_sessions).values(
                id=session.id,
                token_hash=token_hash,
                person_id=session.person_id,
                org_id=session.org_id,
                created_at=session.created_at,
                last_seen_at=session.last_seen_at,
                completed_at=session.completed_at,
            )
        )

    async def by_token_hash(self, token_hash: str) -> PersonSession | None:
        query = select(person_sessions).where(person_sessions.c.token_hash == token_hash)
        row = (await self._connection.execute(query)).one_or_none()
        return _session(row) if row is not None else None

    async def seen(self, session_id: uuid.UUID, at: datetime) -> None:
        await self._connection.execute(
            update(person_sessions).where(person_sessions.c.id == session_id).values(last_seen_at=at)
        )

    async def complete(self, session_id: uuid.UUID, at: datetime) -> None:
        await self._connection.execute(
            update(person_sessions).where(person_sessions.c.id == session_id).values(completed_at=at, last_seen_at=at)
        )

    async def end(self, session_id: uuid.UUID, at: datetime, reason: str) -> None:
        await self._end(person_sessions.c.id == session_id, at, reason)

    async def end_of_person(self, person_id: uuid.UUID, at: datetime, reason: str) -> None:
        await self._end(person_sessions.c.person_id == person_id, at, reason)

    async def end_of_organisation(self, org_id: uuid.UUID, at: datetime, reason: str) -> None:
        await self._end(person_sessions.c.org_id == org_id, at, reason)

    async def _end(self, which: Any, at: datetime, reason: str) -> None:
        await self._connection.execute(
            update(person_sessions)
            .where(which, person_sessions.c.ended_at.is_(None))
            .values(ended_at=at, end_reason=reason)
        )
