"""Migration 0004 (the kit's cohorts table) keeps the cohorts employment held: the key renamed ``id``, the sector
and region as they were."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from employment_service.adapters.tables import cohorts
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade

from .support import SERVICE_ROOT

pytestmark = pytest.mark.integration

OLD_COHORTS = sa.table(
    "cohorts",
    *(sa.column(name, sa.Uuid()) for name in ("cohort_id", "training_provider_org_id", "support_provider_org_id")),
    *(sa.column(name, sa.String()) for name in ("sector_code", "region")),
)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'employment.db'}"
    return str(request.getfixturevalue("postgres_database"))


async def _run(url: str, statement: sa.Executable) -> list[sa.Row[tuple[object, ...]]]:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(statement)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


# Alembic runs its own event loop (hopekit.db.migrations): this test is synchronous.
def test_the_cohorts_held_before_are_there_after(empty_database: str) -> None:
    cohort, trainer, supporter = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    upgrade(SERVICE_ROOT, empty_database, "0003")
    old = {"training_provider_org_id": trainer, "support_provider_org_id": supporter, "sector_code": "logistics"}
    asyncio.run(_run(empty_database, sa.insert(OLD_COHORTS).values(cohort_id=cohort, region="28", **old)))

    upgrade(SERVICE_ROOT, empty_database)

    rows = asyncio.run(_run(empty_database, sa.select(cohorts)))
    assert [row._asdict() for row in rows] == [{"id": cohort, "region": "28", **old}]
