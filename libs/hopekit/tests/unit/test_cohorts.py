"""The cohort projection keeps, of enrolment's cohort.created, the fields a service asked for, and reads them
back; the same event again changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from hope_contracts import enrolment
from hopekit.cohorts import Cohort, CohortRepository, add_cohort_table
from hopekit.db.metadata import make_metadata

from .fakes import sqlite_with

metadata = make_metadata()
# Two services' choices in one database: one keeps the support provider only, one everything.
lean = add_cohort_table(make_metadata())
full = add_cohort_table(metadata, "region", "track", "sector_code", "training_provider_org_id")
lean = lean.to_metadata(metadata, name="lean_cohorts")


def _created(cohort_id: uuid.UUID, trainer: uuid.UUID, supporter: uuid.UUID) -> enrolment.CohortCreated:
    return enrolment.CohortCreated(
        cohort_id=cohort_id,
        sector_code="hospitality_catering",
        region="84",
        track="group",
        training_provider_org_id=trainer,
        support_provider_org_id=supporter,
        capacity=12,
        occurred_at=datetime.now(UTC),
    )


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with sqlite_with(tmp_path, metadata) as engine:
        yield engine


def test_the_table_has_the_fields_asked_for_in_one_order() -> None:
    assert [column.name for column in full.columns] == [
        "id",
        "track",
        "sector_code",
        "region",
        "training_provider_org_id",
        "support_provider_org_id",
    ]
    assert [column.name for column in lean.columns] == ["id", "support_provider_org_id"]
    assert not any(column.nullable for column in full.columns)


async def test_a_cohort_is_kept_in_the_fields_of_the_table(engine: AsyncEngine) -> None:
    cohort, trainer, supporter = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    event = _created(cohort, trainer, supporter)
    async with engine.begin() as connection:
        for table in (full, lean):
            await CohortRepository(connection, table).note(event)
            await CohortRepository(connection, table).note(event)  # delivered again: nothing changes
    async with engine.connect() as connection:
        kept, few = CohortRepository(connection, full), CohortRepository(connection, lean)
        assert await kept.get(cohort) == Cohort(cohort, supporter, trainer, "group", "hospitality_catering", "84")
        assert await few.get(cohort) == Cohort(cohort, supporter)
        assert await kept.providers(cohort) == (trainer, supporter)
        assert await few.support_provider(cohort) == supporter
        assert await kept.get(uuid.uuid4()) is None
        assert await kept.providers(uuid.uuid4()) is None
        assert await few.support_provider(uuid.uuid4()) is None
