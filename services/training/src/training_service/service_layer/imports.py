"""Attendance sheets uploaded as CSV: streamed line by line, checked per row, applied in batches.

Accepted: UTF-8 (with or without BOM) or Windows-1252, ``;`` or ``,`` separated, French decimal
commas. Every rejected row is reported with its line number and reason; the valid rows are applied
in the caller's transaction (which the caller rolls back for all-or-nothing). Memory stays flat: the
file is read in chunks and only one batch of rows is held at a time.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import IO
from uuid import UUID

from training_service.adapters.unit_of_work import TrainingUnitOfWork
from training_service.domain.course import Course, Session
from training_service.domain.errors import DomainError
from training_service.domain.vocabulary import AttendanceStatus
from training_service.service_layer.attendance import MarkInput, Recording, Rejection, apply

_SCAN_CHUNK = 1 << 20
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


class _Rows:
    """Decoded, split lines of the file with their line numbers; undecodable lines come back as None."""

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self._raw = raw
        self._encoding = encoding

    def __iter__(self) -> Iterator[tuple[int, str | None]]:
        for number, line in enumerate(self._raw, start=1):
            try:
                text = line.decode(self._encoding)
            except UnicodeDecodeError:
                yield number, None
                continue
            yield number, text.rstrip("\r\n")


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
    rows = iter(_Rows(raw, encoding))
    header_line = next(rows, None)
    if header_line is None:
        raise FileRejected("empty_file", "the file is empty")
    if header_line[1] is None:
        raise FileRejected("unsupported_encoding", f"the header line is not valid {encoding}")
    header = header_line[1].lstrip("\ufeff")
    if not header.strip():
        raise FileRejected("missing_columns", "the first line must name the columns", required_columns=list(REQUIRED))
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    names = [_ALIASES.get(name.strip().lower()) for name in next(csv.reader([header], delimiter=delimiter))]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        raise FileRejected(
            "missing_columns",
            f"missing column(s): {', '.join(missing)}",
            missing_columns=missing,
            required_columns=list(REQUIRED),
        )
    position = {name: index for index, name in enumerate(names) if name is not None}
    by_day: dict[date, list[Session]] = {}
    for session in await uow.courses.sessions_of(course.id):
        by_day.setdefault(session.held_on, []).append(session)
    batch: list[MarkInput] = []
    read = 0
    for number, text in rows:
        if text is None:
            recording.rejections.append(
                Rejection(number, None, "invalid_encoding", f"the line is not valid {encoding}")
            )
            continue
        if not text.strip():
            continue
        read += 1
        parsed = _parse(course, by_day, number, text, delimiter, position, len(names))
        if isinstance(parsed, Rejection):
            recording.rejections.append(parsed)
        else:
            batch.append(parsed)
        if len(batch) >= batch_size:
            await apply(uow, recording, batch)
            batch = []
        if progress is not None and read % 1000 == 0:
            progress(1000)
    if batch:
        await apply(uow, recording, batch)
    if progress is not None:
        progress(read % 1000)
    recording.rejections.sort(key=lambda rejection: rejection.line or 0)
    return ImportReport(course.id, encoding, delimiter, read, recording)


def _parse(
    course: Course,
    by_day: dict[date, list[Session]],
    number: int,
    text: str,
    delimiter: str,
    position: dict[str, int],
    width: int,
) -> MarkInput | Rejection:
    fields = next(csv.reader([text], delimiter=delimiter), [])
    if len(fields) != width:
        return Rejection(number, None, "wrong_field_count", f"expected {width} fields, found {len(fields)}")
    try:
        beneficiary_id = UUID(fields[position["beneficiary_id"]].strip())
    except ValueError:
        return Rejection(number, None, "invalid_beneficiary_id", "beneficiary_id is not a UUID")
    try:
        day = _date(fields[position["date"]])
    except ValueError:
        return Rejection(number, beneficiary_id, "invalid_date", "date is neither YYYY-MM-DD nor DD/MM/YYYY")
    if not course.starts_on <= day <= course.ends_on:
        return Rejection(
            number,
            beneficiary_id,
            "date_outside_course",
            f"{day} is outside the course ({course.starts_on} to {course.ends_on})",
        )
    candidates = by_day.get(day, [])
    start_text = fields[position["start"]].strip() if "start" in position else ""
    if start_text:
        try:
            start = _time(start_text)
        except ValueError:
            return Rejection(number, beneficiary_id, "invalid_start", "start is not a time such as 09:00")
        candidates = [session for session in candidates if session.starts_at == start]
    if not candidates:
        return Rejection(number, beneficiary_id, "no_session", f"the course has no session on {day} at that time")
    if len(candidates) > 1:
        return Rejection(number, beneficiary_id, "ambiguous_session", f"several sessions on {day}: give the start")
    status = _STATUSES.get(fields[position["status"]].strip().lower())
    if status is None:
        return Rejection(number, beneficiary_id, "invalid_status", "status is present, excused or unexcused")
    try:
        attended = _hours(fields[position["hours"]]) if "hours" in position else None
    except InvalidOperation:
        return Rejection(number, beneficiary_id, "invalid_hours", "hours is not a number such as 3,5")
    return MarkInput(candidates[0], beneficiary_id, status, attended, number)
