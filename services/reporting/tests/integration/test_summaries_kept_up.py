"""Summaries kept up without an answer asking, on SQLite and PostgreSQL: the running service's job sums the
active version's due cohorts (and only that version's), a version switched to is summed whole as it switches, and
a version dropped leaves no cohort due behind."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from hope_infra.testing import received
from hopekit.uow import Database
from reporting_service.adapters import versions
from reporting_service.adapters.completeness import read_models_state
from reporting_service.adapters.summaries import summarise
from reporting_service.adapters.tables import summary_due, summary_nights
from reporting_service.adapters.unit_of_work import ReportingUnitOfWork
from reporting_service.events.incoming import CONSUMERS
from reporting_service.events.replay import handlers_of
from reporting_service.service_layer.indicators import figures_day
from reporting_service.service_layer.ingest import apply_events
from reporting_service.service_layer.summaries_job import sum_due_cohorts

from .conftest import deliver
from .scenario import Cohort
from .test_indicator_summaries import _summaries

pytestmark = pytest.mark.integration


async def _due(database: Database) -> dict[int, int]:
    """Per version, its distinct cohorts due (None, people in no cohort yet, is one)."""
    async with database.engine.connect() as connection:
        rows = await connection.execute(select(summary_due.c.version, summary_due.c.cohort_id).distinct())
        return dict(Counter(int(row.version) for row in rows))


async def _note_due(database: Database, version: int, cohorts: int) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(summary_due.insert(), [{"version": version, "cohort_id": None}] * cohorts)


async def test_the_job_sums_the_active_version_s_due_cohorts_as_a_fresh_summing_would(database: Database) -> None:
    cohort = Cohort()
    for event in cohort.events():
        await deliver(database, received(event))
    assert (await _due(database)).get(1, 0) == 2  # the cohort, and None (people before they joined it)

    assert await sum_due_cohorts(database) == 2
    assert await _due(database) == {}
    async with database.engine.connect() as connection:  # people_without_housing counted for the figures' night
        complete = (await read_models_state(connection)).complete_up_to
        assert await connection.scalar(select(summary_nights.c.night)) == figures_day(complete)
    kept = await _summaries(database)
    assert kept["fact_indicator_cells"]
    async with database.engine.begin() as connection:
        await summarise(connection, 1)
    assert await _summaries(database) == kept
    assert await sum_due_cohorts(database) == 0  # nothing due: nothing summed


async def test_a_version_being_built_is_left_to_its_switch_and_summed_whole_by_it(database: Database) -> None:
    async with database.engine.begin() as connection:
        building = await versions.start_building(connection)
    # Written as a rebuild's batches write it: no cohort noted due. A live consumer noted one.
    async with ReportingUnitOfWork(database, pinned=building) as uow:
        await apply_events(uow, handlers_of(CONSUMERS), [received(event) for event in Cohort().events()])
        await uow.commit()
    assert await _due(database) == {}
    await _note_due(database, building, 1)

    assert await sum_due_cohorts(database) == 0  # not the active version: its switch sums it
    assert await _due(database) == {building: 1}
    async with database.engine.begin() as connection:
        await versions.activate(connection, building)
    assert await _due(database) == {}
    summed = await _summaries(database, building)
    assert summed["fact_indicator_cells"]
    async with database.engine.begin() as connection:
        await summarise(connection, building)
    assert await _summaries(database, building) == summed


async def test_a_dropped_version_leaves_no_cohort_due(database: Database) -> None:
    async with database.engine.begin() as connection:
        building = await versions.start_building(connection)
    await _note_due(database, building, 1)
    async with database.engine.begin() as connection:
        await versions.drop(connection, building)
    assert building not in await _due(database)
