"""The running service's background summing: the active version's cohorts whose facts changed since they were
last summed (``adapters.summaries``), and people_without_housing's rows counted for the night answers ask for
once it changes, so that an answer seldom finds any left to sum itself."""

from __future__ import annotations

from hopekit.uow import Database
from reporting_service.adapters import summaries, versions
from reporting_service.adapters.completeness import read_models_state
from reporting_service.service_layer.indicators import figures_day


async def sum_due_cohorts(database: Database) -> int:
    """The cohorts summed (none when nothing is due or no version answers yet)."""
    async with database.engine.begin() as connection:
        version = await versions.active_version(connection)
        if version is None:
            return 0
        summed = await summaries.sum_due(connection, version)
    async with database.engine.connect() as connection:  # counted in a transaction of its own, when it must be
        state = await read_models_state(connection)
        if state.version is not None:
            await summaries.housing_for_night(connection, state.version, figures_day(state.complete_up_to))
    return summed
