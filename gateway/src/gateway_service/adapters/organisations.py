"""Organisations: every query on the organisations table."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway_service.adapters.tables import organisations
from gateway_service.domain.identity import Organisation
from hope_contracts.vocabulary import OrgKind
from hopekit.db.keyset import after_key


def _organisation(row: Any) -> Organisation:
    return Organisation(
        id=row.id,
        name=row.name,
        org_kind=OrgKind(row.org_kind),
        siret=row.siret,
        active=row.active,
        created_at=row.created_at,
    )


class OrganisationRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, organisation: Organisation) -> None:
        await self._connection.execute(
            insert(organisations).values(
                id=organisation.id,
                name=organisation.name,
                org_kind=organisation.org_kind.value,
                siret=organisation.siret,
                active=organisation.active,
                created_at=organisation.created_at,
            )
        )

    async def get(self, org_id: uuid.UUID) -> Organisation | None:
        row = (await self._connection.execute(select(organisations).where(organisations.c.id == org_id))).one_or_none()
        return _organisation(row) if row is not None else None

    async def by_name(self, name: str) -> Organisation | None:
        row = (await self._connection.execute(select(organisations).where(organisations.c.name == name))).one_or_none()
        return _organisation(row) if row is not None else None

    async def by_siret(self, siret: str) -> Organisation | None:
        row = (
            await self._connection.execute(select(organisations).where(organisations.c.siret == siret))
        ).one_or_none()
        return _organisation(row) if row is not None else None

    async def list(self, after: uuid.UUID | None, limit: int) -> list[Organisation]:
        query = after_key(select(organisations), organisations.c.id, after, limit)
        return [_organisation(row) for row in await self._connection.execute(query)]

    async def save(self, organisation: Organisation) -> None:
        await self._connection.execute(
            update(organisations)
            .where(organisations.c.id == organisation.id)
            .values(name=organisation.name, active=organisation.active, siret=organisation.siret)
        )
