"""The partner projection follows the gateway's organisation events: kind and standing come from there only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hope_contracts import gateway
from hope_contracts.vocabulary import OrgKind
from hopekit.db.engine import make_engine
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.events.subscriptions import process
from hopekit.partners import PartnerRepository, add_partner_table, partner_consumer
from hopekit.testing import gateway_event, seed_partners
from hopekit.uow import Database, UnitOfWork

metadata = make_metadata()
kit = add_kit_tables(metadata)
partners = add_partner_table(metadata)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'partners.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


async def _is_active(database: Database, org_id: uuid.UUID, kind: OrgKind) -> bool:
    async with UnitOfWork(database) as uow:
        return await PartnerRepository(uow.connection, partners).is_active(org_id, kind)


async def test_a_registered_organisation_is_active_in_its_own_kind_only(database: Database) -> None:
    school = uuid.uuid4()
    await seed_partners(lambda: UnitOfWork(database), partners, {school: OrgKind.TRAINING_PROVIDER})

    assert await _is_active(database, school, OrgKind.TRAINING_PROVIDER)
    assert not await _is_active(database, school, OrgKind.SUPPORT_PROVIDER)
    assert not await _is_active(database, uuid.uuid4(), OrgKind.TRAINING_PROVIDER)


async def test_deactivation_and_reactivation_follow_the_events(database: Database) -> None:
    employer = uuid.uuid4()
    await seed_partners(lambda: UnitOfWork(database), partners, {employer: OrgKind.EMPLOYER})
    handlers = partner_consumer(partners).handlers
    deactivated = gateway.OrganisationDeactivated(
        organisation_id=employer, org_kind="employer", occurred_at=datetime.now(UTC)
    )
    await process("test", UnitOfWork(database), handlers[deactivated.event_type], gateway_event(deactivated))
    assert not await _is_active(database, employer, OrgKind.EMPLOYER)

    activated = gateway.OrganisationActivated(
        organisation_id=employer, org_kind="employer", occurred_at=datetime.now(UTC)
    )
    await process("test", UnitOfWork(database), handlers[activated.event_type], gateway_event(activated))
    assert await _is_active(database, employer, OrgKind.EMPLOYER)


async def test_an_activation_seen_before_the_registration_still_records_the_organisation(database: Database) -> None:
    office = uuid.uuid4()
    activated = gateway.OrganisationActivated(
        organisation_id=office, org_kind="immigration_office", occurred_at=datetime.now(UTC)
    )
    handlers = partner_consumer(partners).handlers
    await process("test", UnitOfWork(database), handlers[activated.event_type], gateway_event(activated))

    assert await _is_active(database, office, OrgKind.IMMIGRATION_OFFICE)
