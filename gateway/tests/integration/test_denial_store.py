"""The database deny-list on both databases the gateway runs on: SQLite (one machine) and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway_service.adapters.denial_stores import DatabaseDenials
from gateway_service.adapters.tables import kit
from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.domain.revocation import TokenDenial
from hope_infra.testing import migrated_database
from hopekit.db.engine import make_engine
from hopekit.uow import Database

from .conftest import GATEWAY_ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return migrated_database(request, tmp_path, GATEWAY_ROOT)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(database_url)
    try:
        yield Database(engine=engine, tables=kit)
    finally:
        await engine.dispose()


async def _record(store: DatabaseDenials, database: Database, denial: TokenDenial) -> None:
    async with GatewayUnitOfWork(database) as uow:
        await store.record(uow, denial)
        await uow.commit()


async def test_the_later_denial_of_a_holder_is_kept_and_expired_ones_are_forgotten(database: Database) -> None:
    store = DatabaseDenials(lambda: GatewayUnitOfWork(database))
    now = int(time.time())
    await _record(store, database, TokenDenial("client:a", now - 10, now + 900))
    await _record(store, database, TokenDenial("client:a", now - 20, now + 800))
    await _record(store, database, TokenDenial("organisation:b", now - 2000, now - 1))
    assert await store.live() == [TokenDenial("client:a", now - 10, now + 900)]
    await _record(store, database, TokenDenial("client:c", now, now + 900))
    async with GatewayUnitOfWork(database) as uow:
        found = await store.of(uow, ["client:a", "client:c", "organisation:b", "client:z"])
    assert sorted(found, key=lambda denial: denial.holder) == [
        TokenDenial("client:a", now - 10, now + 900),
        TokenDenial("client:c", now, now + 900),
    ]


async def test_a_denial_not_committed_is_not_recorded(database: Database) -> None:
    store = DatabaseDenials(lambda: GatewayUnitOfWork(database))
    now = int(time.time())
    async with GatewayUnitOfWork(database) as uow:
        await store.record(uow, TokenDenial("client:rolled-back", now, now + 900))
    assert await store.live() == []
