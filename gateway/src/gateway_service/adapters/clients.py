"""API clients: every query on the api_clients table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.tables import api_clients, organisations
from gateway_service.domain.identity import ApiClient
from hope_contracts.vocabulary import OrgKind, Role


def _client(row: Any) -> ApiClient:
    return ApiClient(
        client_id=row.client_id,
        org_id=row.org_id,
        name=row.name,
        secret_hash=row.secret_hash,
        roles=frozenset(Role(role) for role in row.roles),
        scopes=frozenset(row.scopes),
        created_at=row.created_at,
        secret_rotated_at=row.secret_rotated_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


class ClientRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, client: ApiClient) -> None:
        await self._connection.execute(
            insert(api_clients).values(
                client_id=client.client_id,
                org_id=client.org_id,
                name=client.name,
                secret_hash=client.secret_hash,
                roles=sorted(role.value for role in client.roles),
                scopes=sorted(client.scopes),
                created_at=client.created_at,
            )
        )

    async def get(self, client_id: str) -> ApiClient | None:
        row = (
            await self._connection.execute(select(api_clients).where(api_clients.c.client_id == client_id))
        ).one_or_none()
        return _client(row) if row is not None else None

    async def of_organisation(self, org_id: uuid.UUID) -> list[ApiClient]:
        query = select(api_clients).where(api_clients.c.org_id == org_id).order_by(api_clients.c.created_at)
        return [_client(row) for row in await self._connection.execute(query)]

    async def operator_admins(self) -> list[ApiClient]:
        """The programme operator's admin clients that can still get a token (not revoked, organisation active),
        locked until the transaction ends: two admins revoking each other at once cannot both succeed."""
        query = (
            select(api_clients)
            .join(organisations, organisations.c.id == api_clients.c.org_id)
            .where(
                organisations.c.org_kind == OrgKind.PROGRAMME_OPERATOR.value,
                organisations.c.active.is_(True),
                api_clients.c.revoked_at.is_(None),
            )
            .order_by(api_clients.c.client_id)
            .with_for_update(of=api_clients)
        )
        found = [_client(row) for row in await self._connection.execute(query)]
        return [client for client in found if Role.ADMIN in client.roles]

    async def save(self, client: ApiClient) -> None:
        await self._connection.execute(
            update(api_clients)
            .where(api_clients.c.client_id == client.client_id)
            .values(
                roles=sorted(role.value for role in client.roles),
                scopes=sorted(client.scopes),
                secret_hash=client.secret_hash,
                secret_rotated_at=client.secret_rotated_at,
                revoked_at=client.revoked_at,
            )
        )

    async def touch(self, client_id: str, at: datetime) -> None:
        await self._connection.execute(
            update(api_clients).where(api_clients.c.client_id == client_id).values(last_used_at=at)
        )
