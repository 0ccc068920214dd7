"""Rejections in bounded memory: counts per reason, the first rows by line, the full list spooled compressed."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

from training_service.adapters.imports import StoredImport
from training_service.service_layer.import_reports import rejections_csv
from training_service.service_layer.rejections import CSV_HEADER, Rejection, RejectionLog, RejectionSpool


def rejected(line: int, reason: str = "invalid_status") -> Rejection:
    return Rejection(line, None, reason, "status is present, excused or unexcused")


def test_only_the_first_rows_by_line_are_kept_whatever_the_order_they_come_in() -> None:
    log = RejectionLog(keep=3)
    for line in (9, 4, 12, 2, 7, 3, 20):
        log.append(rejected(line, "no_session" if line % 2 else "invalid_status"))

    assert [rejection.line for rejection in log.first()] == [2, 3, 4]
    assert log.count == 7
    assert log.by_reason == {"no_session": 3, "invalid_status": 4}


def test_a_sheet_keeps_every_rejection() -> None:
    log = RejectionLog()
    for line in (2, 0, 1):
        log.append(rejected(line))

    assert [rejection.line for rejection in log.first()] == [0, 1, 2]


class _Parts:
    """A unit of work whose only repository hands out the spool's stored parts."""

    def __init__(self, parts: list[bytes]) -> None:
        self.imports = self
        self._parts = parts

    async def __aenter__(self) -> _Parts:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def part(self, import_id: uuid.UUID, number: int) -> bytes:
        return self._parts[number]


async def _text(chunks: AsyncIterator[bytes]) -> str:
    return b"".join([chunk async for chunk in chunks]).decode()


async def test_the_spooled_list_reads_back_whole_even_when_it_inflates_a_hundredfold() -> None:
    spool = RejectionSpool()
    log = RejectionLog(keep=1, spool=spool)
    person = uuid.uuid4()
    for line in range(2, 200_002):
        log.append(Rejection(line, person, "not_in_cohort", "not a member of the course's cohort", "beneficiary_id"))
    parts = list(spool.parts())
    spool.close()
    stored = StoredImport(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), len(parts))
    factory: Any = lambda: _Parts(parts)  # noqa: E731 - the unit of work factory the download is given

    rows = list(csv.reader(io.StringIO(await _text(rejections_csv(factory, stored)))))

    assert sum(len(part) for part in parts) < 2_000_000
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == 200_001
    assert rows[-1] == ["200001", str(person), "beneficiary_id", "not_in_cohort", "not a member of the course's cohort"]
    assert len(log.first()) == 1
