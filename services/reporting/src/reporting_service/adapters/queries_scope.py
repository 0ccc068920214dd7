"""What the scoping needs from the database: the funders an organisation is."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.tables_scoping import funder_organisations


async def funders_of(connection: AsyncConnection, org_id: UUID) -> frozenset[UUID]:
    found = await connection.execute(
        select(funder_organisations.c.funder_id).where(funder_organisations.c.org_id == org_id)
    )
    return frozenset(row[0] for row in found)
