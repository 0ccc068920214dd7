"""A rebuild's batch that PostgreSQL chose as a deadlock's victim (another topic's reader locked the same people's
rows) is applied again; any other error stops the rebuild."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError

from hopekit.uow import Database
from reporting_service.adapters import versions
from reporting_service.events import replay

pytestmark = pytest.mark.integration


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _failing(times: int, sqlstate: str, calls: list[int]) -> Any:
    async def apply_events(*_: Any, **__: Any) -> tuple[int, int]:
        calls.append(1)
        if len(calls) <= times:
            raise DBAPIError("INSERT ...", None, _DriverError(sqlstate))
        return 0, 0

    return apply_events


async def _apply_a_batch(database: Database) -> tuple[int, int]:
    async with database.engine.begin() as connection:
        version = await versions.start_building(connection)
    return await replay.Replay(database, "unused:9092")._apply(version, [])


async def test_a_batch_chosen_as_a_deadlocks_victim_is_applied_again(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(replay, "apply_events", _failing(2, replay.DEADLOCK, calls))
    assert await _apply_a_batch(database) == (0, 0)
    assert len(calls) == 3


async def test_another_error_or_a_deadlock_too_many_times_stops_the_rebuild(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(replay, "apply_events", _failing(1, "23505", calls))
    with pytest.raises(DBAPIError):
        await _apply_a_batch(database)
    assert len(calls) == 1
    calls.clear()
    monkeypatch.setattr(replay, "apply_events", _failing(replay.DEADLOCK_ATTEMPTS, replay.DEADLOCK, calls))
    with pytest.raises(DBAPIError):
        await _apply_a_batch(database)
    assert len(calls) == replay.DEADLOCK_ATTEMPTS
