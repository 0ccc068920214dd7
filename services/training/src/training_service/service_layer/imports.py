"""Attendance sheets uploaded as CSV: streamed record by record, checked per row, applied in batches.

Accepted: UTF-8 (with or without BOM) or Windows-1252, ``;`` or ``,`` separated, French decimal
commas, quoted fields that span several lines (RFC 4180). Every rejected row is reported with the
physical line it starts on and the reason; the valid rows are applied in the caller's transaction
(which the caller rolls back for all-or-nothing). Memory stays flat: the file is read line by line,
a line or a record may not grow past a bound, and only one batch of rows is held at a time.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import csv
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import IO, Final, TypeVar
from uuid import UUID

from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.course import Course, Session
from training_service.domain.errors import DomainError
from training_service.domain.vocabulary import AttendanceStatus
from training_service.service_layer.attendance import MarkInput, Recording, Rejection, apply

_SCAN_CHUNK = 1 << 20
MAX_LINE_BYTES = 64 * 1024
"""A physical line longer than this is rejected (a sheet's line is a few hundred bytes)."""
MAX_RECORD_LINES = 50
"""A quoted field still open after this many lines is taken as a quote that was never closed."""
_CACHE_LIMIT = 20_000
_YIELD_EVERY = 250
_NOT_A_NUMBER: Final = Decimal("NaN")
REQUIRED = ("beneficiary_id", "date", "status")
_ALIASES = {
    "beneficiary_id": "beneficiary_id",
    "beneficiaire": "beneficiary_id",
    "date": "date",
    "held_on": "date",
    "session_date": "date",
    "start": "start",
    "starts_at": "start",
    "heure_debut": "start",
    "status": "status",
    "statut": "status",
    "hours": "hours",
    "hours_attended": "hours",
    "heures": "hours",
}
_STATUSES = {
    "present": AttendanceStatus.PRESENT,
    "présent": AttendanceStatus.PRESENT,
    "p": AttendanceStatus.PRESENT,
    "excused": AttendanceStatus.EXCUSED,
    "excusé": AttendanceStatus.EXCUSED,
    "absence_justifiee": AttendanceStatus.EXCUSED,
    "e": AttendanceStatus.EXCUSED,
    "unexcused": AttendanceStatus.UNEXCUSED,
    "absent": AttendanceStatus.UNEXCUSED,
    "absence_injustifiee": AttendanceStatus.UNEXCUSED,
    "a": AttendanceStatus.UNEXCUSED,
}


class FileRejected(DomainError):
    """The file as a whole cannot be read (encoding, header); nothing was applied."""

    code = "file_rejected"

    def __init__(self, reason: str, detail: str, **facts: object) -> None:
        super().__init__(detail)
        self.reason = reason
        self.facts = facts


@dataclass
class ImportReport:
    course_id: UUID
    encoding: str
    delimiter: str
    rows_read: int
    recording: Recording


def detect_encoding(raw: IO[bytes], declared: str | None) -> str:
    """The file's encoding, checked without holding it in memory; the file is rewound."""
    head = raw.read(65536)
    raw.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise FileRejected("unsupported_encoding", "the file looks like UTF-16 or binary; send UTF-8 or Windows-1252")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if declared is not None:
        return declared
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := raw.read(_SCAN_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    raw.seek(0)
    return encoding


def _date(value: str) -> date:
    value = value.strip()
    if "/" in value:
        return datetime.strptime(value, "%d/%m/%Y").date()
    return date.fromisoformat(value)


def _time(value: str) -> time:
    value = value.strip().lower().replace("h", ":")
    if value.endswith(":"):
        value += "00"
    return time.fromisoformat(value if len(value) > 4 else "0" + value)


def _hours(value: str) -> Decimal | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number


class _RecordTooLong(Exception):
    """A quoted field opened and not closed within MAX_RECORD_LINES lines."""


class PhysicalLines(Iterator[str]):
    """The file's physical lines for ``csv.reader``, decoded one by one and numbered.

    ``first`` and ``number`` are the first and last line of the record being read. A line that cannot
    be decoded or is too long is still handed on (so the quoting stays in step) and noted in ``flaws``.
    The lines of the current record are kept (at most MAX_RECORD_LINES), so that after a quote that
    never closes, reading resumes on the line after the one that opened it.
    """

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self._raw = raw
        self._bom = encoding == "utf-8-sig"
        self._encoding = "utf-8" if self._bom else encoding
        self._read = 0
        self._record: list[tuple[int, str]] = []
        self._replay: deque[tuple[int, str]] = deque()
        self.first = 1
        self.number = 0
        self.flaws: dict[int, str] = {}
        self.ended_inside_record = False

    def __iter__(self) -> PhysicalLines:
        return self

    def __next__(self) -> str:
        record = self._record
        if len(record) >= MAX_RECORD_LINES:
            raise _RecordTooLong
        if self._replay:
            number, text = self._replay.popleft()
        else:
            line = self._raw.readline(MAX_LINE_BYTES)
            if not line:
                self.ended_inside_record = bool(record)
                raise StopIteration
            self._read += 1
            number = self._read
            text = self._decode(number, line)
        if not record:
            self.first = number
        record.append((number, text))
        self.number = number
        return text

    def _decode(self, number: int, line: bytes) -> str:
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := self._raw.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            self.flaws[number] = "line_too_long"
            return "\n"
        try:
            text = line.decode(self._encoding)
        except UnicodeDecodeError:
            self.flaws[number] = "invalid_encoding"
            text = line.decode(self._encoding, "replace")
        if number == 1 and self._bom:
            text = text.removeprefix("\ufeff")
        return text

    def start_record(self) -> None:
        self._record.clear()
        self.ended_inside_record = False

    def peek(self) -> str | None:
        """The next line, handed out again by the next read."""
        try:
            text = next(self)
        except StopIteration:
            return None
        self._replay.appendleft(self._record.pop())
        return text

    def resume_after_first(self) -> None:
        """Read the current record's lines again, all but the first."""
        self.flaws.pop(self.first, None)
        self._replay.extendleft(reversed(self._record[1:]))
        self._record.clear()

    def flaws_until(self, last: int) -> list[tuple[int, str]]:
        """The flawed lines up to ``last``, forgotten once told."""
        found = sorted((number, reason) for number, reason in self.flaws.items() if number <= last)
        for number, _ in found:
            del self.flaws[number]
        return found


Slot = Session | tuple[str, str]


class RowChecker:
    """Turns one record into a mark to apply or a rejection; the answers for a date, a time, a person
    id or an hours value are remembered, as a sheet repeats them on every row."""

    def __init__(self, course: Course, sessions: list[Session], names: list[str | None]) -> None:
        self._course = course
        self._by_day: dict[date, list[Session]] = {}
        for session in sessions:
            self._by_day.setdefault(session.held_on, []).append(session)
        self._width = len(names)
        position = {name: index for index, name in enumerate(names) if name is not None}
        self._person_at = position["beneficiary_id"]
        self._date_at = position["date"]
        self._status_at = position["status"]
        self._start_at = position.get("start")
        self._hours_at = position.get("hours")
        self._people: dict[str, UUID | None] = {}
        self._slots: dict[tuple[str, str], Slot] = {}
        self._statuses: dict[str, AttendanceStatus | None] = {}
        self._hours: dict[str, Decimal | None] = {}

    def check(self, number: int, fields: list[str]) -> MarkInput | Rejection:
        if len(fields) != self._width:
            return Rejection(number, None, "wrong_field_count", f"expected {self._width} fields, found {len(fields)}")
        person = self._person(fields[self._person_at])
        if person is None:
            return Rejection(number, None, "invalid_beneficiary_id", "beneficiary_id is not a UUID")
        start = fields[self._start_at] if self._start_at is not None else ""
        slot = self._slot(fields[self._date_at], start)
        if not isinstance(slot, Session):
            return Rejection(number, person, *slot)
        status = self._status(fields[self._status_at])
        if status is None:
            return Rejection(number, person, "invalid_status", "status is present, excused or unexcused")
        attended = self._attended(fields[self._hours_at]) if self._hours_at is not None else None
        if attended is not None and attended.is_nan():
            return Rejection(number, person, "invalid_hours", "hours is not a number such as 3,5")
        return MarkInput(slot, person, status, attended, number)

    def _person(self, text: str) -> UUID | None:
        try:
            return self._people[text]
        except KeyError:
            pass
        try:
            found: UUID | None = UUID(text.strip())
        except ValueError:
            found = None
        return _remember(self._people, text, found)

    def _slot(self, day_text: str, start_text: str) -> Slot:
        key = (day_text, start_text)
        try:
            return self._slots[key]
        except KeyError:
            return _remember(self._slots, key, self._find_slot(day_text, start_text.strip()))

    def _find_slot(self, day_text: str, start_text: str) -> Slot:
        course = self._course
        try:
            day = _date(day_text)
        except ValueError:
            return ("invalid_date", "date is neither YYYY-MM-DD nor DD/MM/YYYY")
        if not course.starts_on <= day <= course.ends_on:
            return ("date_outside_course", f"{day} is outside the course ({course.starts_on} to {course.ends_on})")
        candidates = self._by_day.get(day, [])
        if start_text:
            try:
                start = _time(start_text)
            except ValueError:
                return ("invalid_start", "start is not a time such as 09:00")
            candidates = [session for session in candidates if session.starts_at == start]
        if not candidates:
            return ("no_session", f"the course has no session on {day} at that time")
        if len(candidates) > 1:
            return ("ambiguous_session", f"several sessions on {day}: give the start")
        return candidates[0]

    def _status(self, text: str) -> AttendanceStatus | None:
        try:
            return self._statuses[text]
        except KeyError:
            return _remember(self._statuses, text, _STATUSES.get(text.strip().lower()))

    def _attended(self, text: str) -> Decimal | None:
        """The hours given, None when left blank, NaN when not a number."""
        try:
            return self._hours[text]
        except KeyError:
            pass
        try:
            found = _hours(text)
        except InvalidOperation:
            found = _NOT_A_NUMBER
        return _remember(self._hours, text, found)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


_FLAW_DETAILS: Final = {
    "invalid_encoding": "line {line} is not valid {encoding}",
    "line_too_long": f"line {{line}} is longer than {MAX_LINE_BYTES} bytes",
}


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
    encoding = detect_encoding(raw, declared_encoding)
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
    except (StopIteration, csv.Error, _RecordTooLong):
        header = []
    if lines.flaws_until(lines.number) or not any(name.strip() for name in header):
        raise FileRejected("missing_columns", "the first line must name the columns", required_columns=list(REQUIRED))
    names = [_ALIASES.get(name.strip().lower()) for name in header]
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
    rejections.sort(key=lambda rejection: rejection.line or 0)
    return ImportReport(course.id, encoding, delimiter, read, recording)


def records(
    lines: PhysicalLines, reader: Iterator[list[str]], encoding: str, rejections: list[Rejection]
) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records with the line each starts on; those that cannot be read go to ``rejections``."""
    while True:
        lines.start_record()
        try:
            fields = next(reader)
        except StopIteration:
            return
        except _RecordTooLong:
            rejections.append(_unclosed(lines.first, f"within {MAX_RECORD_LINES} lines"))
            lines.resume_after_first()
            continue
        except csv.Error as error:
            rejections.append(Rejection(lines.first, None, "malformed_csv", str(error)))
            lines.flaws_until(lines.number)
            continue
        number = lines.first
        if lines.flaws:
            flawed = lines.flaws_until(lines.number)
            if flawed:
                line, reason = flawed[0]
                detail = _FLAW_DETAILS[reason].format(line=line, encoding=encoding)
                rejections.append(Rejection(number, None, reason, detail))
                continue
        if lines.ended_inside_record:
            rejections.append(_unclosed(number, "before the end of the file"))
            lines.resume_after_first()
            continue
        if fields and (len(fields) > 1 or fields[0].strip()):
            yield number, fields


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


def _unclosed(line: int, where: str) -> Rejection:
    return Rejection(line, None, "unclosed_quote", f"a quoted field opened on line {line} is not closed {where}")
