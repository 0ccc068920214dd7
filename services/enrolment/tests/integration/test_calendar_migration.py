"""Migration 0005 keeps the step start dates cohorts had: they become calendar periods without an end."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from enrolment_service.adapters.tables import cohort_step_periods
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade

from .conftest import SERVICE_ROOT

pytestmark = pytest.mark.integration

OLD_COHORTS = sa.table(
    "cohorts",
    *(sa.column(name, sa.Uuid()) for name in ("id", "training_provider_org_id", "support_provider_org_id")),
    *(sa.column(name, sa.String()) for name in ("name", "sector_code", "region", "track")),
    sa.column("capacity", sa.Integer()),
    sa.column("step_start_dates", sa.JSON()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("created_by_org_id", sa.Uuid()),
)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'enrolment.db'}"
    return str(request.getfixturevalue("postgres_database"))


async def _insert_cohort(url: str, cohort_id: uuid.UUID) -> None:
    engine = make_engine(url)
    org = uuid.uuid4()
    try:
        async with engine.begin() as connection:
            await connection.execute(
                sa.insert(OLD_COHORTS).values(
                    id=cohort_id,
                    name="Rouen",
                    sector_code="logistics",
                    region="28",
                    track="group",
                    training_provider_org_id=org,
                    support_provider_org_id=org,
                    capacity=10,
                    step_start_dates={"3": "2026-03-02", "4": "2026-06-01"},
                    created_at=datetime(2026, 1, 5, tzinfo=UTC),
                    created_by_org_id=org,
                )
            )
    finally:
        await engine.dispose()


async def _periods(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            periods = cohort_step_periods
            rows = await connection.execute(
                sa.select(periods.c.cohort_id, periods.c.step, periods.c.starts_on, periods.c.ends_on).order_by(
                    periods.c.step
                )
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


def test_the_start_dates_kept_so_far_become_the_calendar(empty_database: str) -> None:
    cohort_id = uuid.uuid4()
    upgrade(SERVICE_ROOT, empty_database, "0004")
    asyncio.run(_insert_cohort(empty_database, cohort_id))

    upgrade(SERVICE_ROOT, empty_database)

    assert asyncio.run(_periods(empty_database)) == [
        (cohort_id, 3, date(2026, 3, 2), None),
        (cohort_id, 4, date(2026, 6, 1), None),
    ]
