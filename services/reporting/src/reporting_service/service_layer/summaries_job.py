"""The running service's background summing: the active version's cohorts whose facts changed since they were
last summed (``adapters.summaries``), so that an answer seldom finds any left to sum itself."""

from __future__ import annotations

from hopekit.uow import Database
from reporting_service.adapters import summaries, versions


async def sum_due_cohorts(database: Database) -> int:
    """The cohorts summed (none when nothing is due or no version answers yet)."""
    async with database.engine.begin() as connection:
        version = await versions.active_version(connection)
        return 0 if version is None else await summaries.sum_due(connection, version)
