"""Attendance sheets uploaded as CSV: streamed record by record, checked per row, applied in batches.

Accepted: UTF-8 (with or without BOM) or Windows-1252, ``;`` or ``,`` separated, French decimal
commas, quoted fields that span several lines (RFC 4180). Every rejected row is told with the
physical line it starts on and the reason: the answer counts them per reason and shows the first ones;
the full list is stored with the import, for its organisation to download. The valid rows are applied
in the caller's transaction (rolled back for all-or-nothing). Memory stays flat: the file is read line
by line, a line or a record may not grow past a bound, only one batch of rows is held at a time, and
the rejections go to a compressed spool on disk. The event loop keeps turning: the reading yields every
few hundred rows and the encoding scan runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO
from uuid import UUID

from hopekit.identity.principal import Principal
from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.service_layer import courses
from training_service.service_layer.attendance import MarkInput, Recording, apply, finish
from training_service.service_layer.csv_records import (
    FileRejected,
    PhysicalLines,
    RecordTooLong,
    detect_encoding,
    records,
)
from training_service.service_layer.rejections import Rejection, RejectionLog, RejectionSpool
from training_service.service_layer.sheet_rows import ALIASES, REQUIRED, RowChecker

__all__ = ["FileRejected", "ImportReport", "import_csv"]

_YIELD_EVERY = 250


@dataclass
class ImportReport:
    course_id: UUID
    encoding: str
    delimiter: str
    rows_read: int
    recording: Recording


@dataclass(frozen=True)
class ImportOutcome:
    import_id: UUID
    report: ImportReport
    committed: bool
    alerts: int


async def import_attendance(
    uow: TrainingUnitOfWork,
    principal: Principal,
    course_id: UUID,
    raw: IO[bytes],
    *,
    declared_encoding: str | None,
    batch_size: int,
    threshold: Decimal,
    all_or_nothing: bool,
    rejections_shown: int,
) -> ImportOutcome:
    """Every rejected row is counted and stored with its line number (the first ``rejections_shown`` are in
    the report); the valid ones are applied in one transaction, or none of them when ``all_or_nothing`` is set
    and a row was rejected. Importing the same file again changes nothing."""
    course = await courses.load(uow, principal, course_id, write=True)
    spool = RejectionSpool()
    try:
        recording = Recording(course, principal, rejections=RejectionLog(keep=rejections_shown, spool=spool))
        report = await import_csv(uow, recording, raw, declared_encoding=declared_encoding, batch_size=batch_size)
        committed = not (all_or_nothing and recording.rejections)
        alerts = 0
        if committed:
            alerts = await finish(uow, recording, threshold)
            uow.audit(principal, "import_attendance", "course", course.id, reason=str(recording.applied))
        else:
            await uow.rollback()
        import_id = uuid.uuid4()
        await uow.imports.add(
            import_id=import_id,
            course_id=course.id,
            org_id=principal.org_id,
            imported_by=principal.subject,
            imported_at=recording.at,
            committed=committed,
            rows_read=report.rows_read,
            rejected=recording.rejections.count,
            report_parts=spool.parts(),
        )
        if not committed:
            # The refused import's report stays downloadable: it alone is committed, none of the marks.
            await uow.commit()
    finally:
        spool.close()
    return ImportOutcome(import_id, report, committed=committed, alerts=alerts)


async def import_csv(
    uow: TrainingUnitOfWork,
    recording: Recording,
    raw: IO[bytes],
    *,
    declared_encoding: str | None = None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    course = recording.course
    # The encoding scan reads the whole file: in a worker thread, so that the service keeps answering.
    encoding = await asyncio.to_thread(detect_encoding, raw, declared_encoding)
    lines = PhysicalLines(raw, encoding)
    first_line = lines.peek()
    if first_line is None:
        raise FileRejected("empty_file", "the file is empty")
    if lines.flaws.get(1) == "invalid_encoding":
        raise FileRejected("unsupported_encoding", f"the header line is not valid {encoding}")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error, RecordTooLong):
        header = []
    if lines.flaws_until(lines.number) or not any(name.strip() for name in header):
        raise FileRejected("missing_columns", "the first line must name the columns", required_columns=list(REQUIRED))
    names = [ALIASES.get(name.strip().lower()) for name in header]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise FileRejected(
            "missing_columns",
            f"missing column(s): {', '.join(missing)}",
            missing_columns=missing,
            required_columns=list(REQUIRED),
        )
    checker = RowChecker(course, await uow.courses.sessions_of(course.id), names)
    rejections = recording.rejections
    applier = _Applier(uow, recording)
    batch: list[MarkInput] = []
    read = 0
    try:
        for number, fields in records(lines, reader, encoding, rejections):
            read += 1
            checked = checker.check(number, fields)
            if isinstance(checked, Rejection):
                rejections.append(checked)
            else:
                batch.append(checked)
                if len(batch) >= batch_size:
                    await applier.submit(batch)
                    batch = []
            if read % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
                if progress is not None and read % 1000 == 0:
                    progress(1000)
        if batch:
            await applier.submit(batch)
        await applier.drain()
    finally:
        await applier.abandon()
    if progress is not None:
        progress(read % 1000)
    return ImportReport(course.id, encoding, delimiter, read, recording)


class _Applier:
    """Applies the batches one after the other on the unit of work's connection, each while the rows
    of the next are being read: the database works on one batch while Python checks the next."""

    def __init__(self, uow: TrainingUnitOfWork, recording: Recording) -> None:
        self._uow = uow
        self._recording = recording
        self._pending: asyncio.Task[None] | None = None

    async def submit(self, batch: list[MarkInput]) -> None:
        await self.drain()
        self._pending = asyncio.create_task(apply(self._uow, self._recording, batch))

    async def drain(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending

    async def abandon(self) -> None:
        if self._pending is not None:
            # Only reached when the import itself failed: that error is the one to report.
            self._pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pending
            self._pending = None
