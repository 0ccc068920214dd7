"""The partner organisations as every service knows them: a projection of the gateway's organisation events.

A service never takes an organisation's kind or standing from a request field: it reads them here. To adopt it,
a service adds the table to its metadata (``add_partner_table``), creates it in a migration
(``hopekit.db.partner_migrations``), plugs ``partner_consumer(table)`` into its CONSUMERS, and asks a
``PartnerRepository`` on its unit of work's connection when a rule needs to know who an organisation is.

The kit applies one organisation's events in their order (``hopekit.events.ordering``: they share the
organisation's key), and each event carries the kind, so whichever arrives first leaves a complete row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Boolean, Column, MetaData, String, Table, Uuid, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from hope_contracts import gateway
from hope_contracts.vocabulary import OrgKind
from hopekit.db.types import UTCDateTime
from hopekit.events.subscriptions import ConsumerSpec, on
from hopekit.uow import UnitOfWork

TABLE_NAME = "partner_organisations"
CONSUMER_NAME = "gateway-partners"


def add_partner_table(metadata: MetaData) -> Table:
    return Table(
        TABLE_NAME,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("org_kind", String(40), nullable=False),
        Column("active", Boolean, nullable=False),
        Column("changed_at", UTCDateTime, nullable=False),
    )


@dataclass(frozen=True)
class Partner:
    id: UUID
    org_kind: OrgKind
    active: bool


class PartnerRepository:
    def __init__(self, connection: AsyncConnection, table: Table) -> None:
        self._connection, self._table = connection, table

    async def get(self, org_id: UUID) -> Partner | None:
        row = (await self._connection.execute(select(self._table).where(self._table.c.id == org_id))).one_or_none()
        return None if row is None else Partner(row.id, OrgKind(row.org_kind), row.active)

    async def is_active(self, org_id: UUID, kind: OrgKind) -> bool:
        """Whether the organisation is known, active, and of this kind."""
        partner = await self.get(org_id)
        return partner is not None and partner.active and partner.org_kind is kind

    async def record(self, org_id: UUID, kind: OrgKind, active: bool, at: datetime) -> None:
        values = {"org_kind": kind.value, "active": active, "changed_at": at}
        changed = await self._connection.execute(update(self._table).where(self._table.c.id == org_id).values(values))
        if changed.rowcount == 0:
            await self._connection.execute(self._table.insert().values(id=org_id, **values))


def partner_consumer(table: Table) -> ConsumerSpec:
    """The consumer group ``<service>.gateway-partners`` that keeps ``table`` up to date."""

    async def registered(uow: UnitOfWork, event: gateway.OrganisationRegistered) -> None:
        await PartnerRepository(uow.connection, table).record(
            event.organisation_id, OrgKind(event.org_kind), event.active, event.occurred_at
        )

    async def activated(uow: UnitOfWork, event: gateway.OrganisationActivated) -> None:
        await PartnerRepository(uow.connection, table).record(
            event.organisation_id, OrgKind(event.org_kind), True, event.occurred_at
        )

    async def deactivated(uow: UnitOfWork, event: gateway.OrganisationDeactivated) -> None:
        await PartnerRepository(uow.connection, table).record(
            event.organisation_id, OrgKind(event.org_kind), False, event.occurred_at
        )

    return ConsumerSpec(
        name=CONSUMER_NAME,
        subscriptions=[
            on(gateway.OrganisationRegistered, registered),
            on(gateway.OrganisationActivated, activated),
            on(gateway.OrganisationDeactivated, deactivated),
        ],
    )
