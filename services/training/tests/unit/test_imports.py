"""The CSV import without a database: records and their line numbers, quoting, bounds, flat memory; and
the two shortcuts the bulk path takes (the marks the alert rules read, ledgers from added-up marks)."""

from __future__ import annotations

import csv
import io
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import date, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training_service.adapters.attendance import CourseMark, MarkTotal
from training_service.domain import alerts
from training_service.domain.course import Course, Session
from training_service.domain.ledger import Mark
from training_service.domain.vocabulary import AlertRule, AttendanceStatus, SessionKind, Step, Track
from training_service.service_layer import csv_records, sheet_rows
from training_service.service_layer.attendance import MarkInput, _alert_marks
from training_service.service_layer.courses import person_ledgers
from training_service.service_layer.rejections import Rejection

START = date(2026, 1, 5)
COURSE = Course(
    id=uuid.uuid4(),
    step=Step.FRENCH_QUALIFICATION,
    track=Track.GROUP,
    cohort_id=uuid.uuid4(),
    beneficiary_id=None,
    provider_org_id=uuid.uuid4(),
    planned_hours=Decimal("400.00"),
    support_french_hours=None,
    starts_on=START,
    ends_on=START + timedelta(days=60),
)
MORNING = Session(uuid.uuid4(), COURSE.id, START, time(9), time(12, 30), Decimal("3.50"), SessionKind.CORE)
AFTERNOON = Session(uuid.uuid4(), COURSE.id, START, time(13, 30), time(17), Decimal("3.50"), SessionKind.CORE)
PERSON = uuid.uuid4()
HEADER = "beneficiary_id;date;start;status;hours;comment\r\n"


def read(content: str | bytes, encoding: str | None = None) -> tuple[list[tuple[int, list[str]]], list[Rejection]]:
    """(line, fields) of each record after the header, and the rejections."""
    raw = io.BytesIO(content.encode(encoding or "utf-8") if isinstance(content, str) else content)
    found = csv_records.detect_encoding(raw, None)
    lines = csv_records.PhysicalLines(raw, found)
    first = lines.peek()
    assert first is not None
    reader = csv.reader(lines, delimiter=";")
    next(reader)
    rejections: list[Rejection] = []
    return list(csv_records.records(lines, reader, found, rejections)), rejections


def row(comment: str = "", status: str = "present", day: str = "05/01/2026") -> str:
    return f"{PERSON};{day};09:00;{status};3,5;{comment}\r\n"


def test_a_quoted_field_over_several_lines_is_one_record_and_later_lines_keep_their_numbers() -> None:
    content = HEADER + row('"late: the bus\r\nwas on strike; came at 10"') + "\r\n" + row() + row('"a\nb\nc"') + row()
    found, rejections = read(content)
    assert [number for number, _ in found] == [2, 5, 6, 9]
    assert found[0][1][5] == "late: the bus\r\nwas on strike; came at 10"
    assert rejections == []


def test_a_quote_that_never_closes_costs_only_its_own_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_records, "MAX_RECORD_LINES", 4)
    content = HEADER + row() + row('"never closed') + row() + row() + row() + row() + row()
    found, rejections = read(content)
    assert [(r.line, r.reason) for r in rejections] == [(3, "unclosed_quote")]
    assert [number for number, _ in found] == [2, 4, 5, 6, 7, 8]


def test_a_quote_still_open_at_the_end_of_the_file_is_reported_on_its_line() -> None:
    content = HEADER + row() + row('"never closed') + row()
    found, rejections = read(content)
    assert [(r.line, r.reason) for r in rejections] == [(3, "unclosed_quote")]
    assert "end of the file" in rejections[0].message
    assert [number for number, _ in found] == [2, 4]


def test_a_line_too_long_is_rejected_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_records, "MAX_LINE_BYTES", 200)
    content = HEADER + row() + row("x" * 500) + row()
    found, rejections = read(content)
    assert [(r.line, r.reason) for r in rejections] == [(3, "line_too_long")]
    assert [number for number, _ in found] == [2, 4]


def test_an_undecodable_line_inside_a_quoted_field_rejects_its_record_on_the_first_line() -> None:
    content = (HEADER + row() + row('"first')).encode() + 'pr\xe9sent"\r\n'.encode("cp1252") + row().encode()
    raw = io.BytesIO(content)
    lines = csv_records.PhysicalLines(raw, "utf-8")
    lines.peek()
    reader = csv.reader(lines, delimiter=";")
    next(reader)
    rejections: list[Rejection] = []
    found = list(csv_records.records(lines, reader, "utf-8", rejections))
    assert [(r.line, r.reason) for r in rejections] == [(3, "invalid_encoding")]
    assert "line 4" in rejections[0].message
    assert [number for number, _ in found] == [2, 5]


def test_the_bom_is_not_part_of_the_first_column() -> None:
    raw = io.BytesIO(("\ufeff" + HEADER + row()).encode())
    encoding = csv_records.detect_encoding(raw, None)
    lines = csv_records.PhysicalLines(raw, encoding)
    assert encoding == "utf-8-sig"
    assert lines.peek() == HEADER


def checker() -> sheet_rows.RowChecker:
    names = ["beneficiary_id", "date", "start", "status", "hours", None]
    return sheet_rows.RowChecker(COURSE, [MORNING, AFTERNOON], names)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (["x", "05/01/2026", "09:00", "present", "3"], "wrong_field_count"),
        (["nope", "05/01/2026", "09:00", "present", "3", ""], "invalid_beneficiary_id"),
        ([str(PERSON), "2026-13-01", "09:00", "present", "3", ""], "invalid_date"),
        ([str(PERSON), "01/06/2026", "09:00", "present", "3", ""], "date_outside_course"),
        ([str(PERSON), "05/01/2026", "9 heures", "present", "3", ""], "invalid_start"),
        ([str(PERSON), "05/01/2026", "", "present", "3", ""], "ambiguous_session"),
        ([str(PERSON), "06/01/2026", "09:00", "present", "3", ""], "no_session"),
        ([str(PERSON), "05/01/2026", "09:00", "là", "3", ""], "invalid_status"),
        ([str(PERSON), "05/01/2026", "09:00", "present", "trois", ""], "invalid_hours"),
        ([str(PERSON), "05/01/2026", "09:00", "present", "NaN", ""], "invalid_hours"),
    ],
)
def test_each_kind_of_bad_row_gets_its_reason_every_time(fields: list[str], reason: str) -> None:
    check = checker()
    for _ in range(2):  # the second answer comes from what was remembered
        found = check.check(7, fields)
        assert isinstance(found, Rejection)
        assert (found.line, found.reason) == (7, reason)


def test_french_and_iso_values_give_the_same_mark() -> None:
    check = checker()
    french = check.check(2, [f" {PERSON} ", "05/01/2026", "13h30", " Présent ", "3,5", ""])
    iso = check.check(3, [str(PERSON), "2026-01-05", "13:30", "present", "3.50", ""])
    assert isinstance(french, MarkInput)
    assert isinstance(iso, MarkInput)
    assert (french.session, french.status, french.hours_attended) == (
        AFTERNOON,
        AttendanceStatus.PRESENT,
        Decimal("3.5"),
    )
    assert (iso.session, iso.beneficiary_id, iso.hours_attended) == (french.session, PERSON, Decimal("3.50"))


class _Generated(io.RawIOBase):
    """A large sheet produced on the fly: the test holds none of it."""

    def __init__(self, rows: int, people: list[uuid.UUID]) -> None:
        self._lines = self._produce(rows, people)
        self._buffer = b""

    @staticmethod
    def _produce(rows: int, people: list[uuid.UUID]) -> Iterator[bytes]:
        yield HEADER.encode()
        for index in range(rows):
            comment = '"a comment\r\non two lines"' if index % 100 == 0 else ""
            yield f"{people[index % len(people)]};05/01/2026;09:00;présent;3,5;{comment}\r\n".encode()

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while len(self._buffer) < len(target):
            chunk = next(self._lines, b"")
            if not chunk:
                break
            self._buffer += chunk
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _parse_all(rows: int) -> int:
    people = [uuid.uuid4() for _ in range(100)]
    raw = io.BufferedReader(_Generated(rows, people))
    lines = csv_records.PhysicalLines(raw, "utf-8")
    lines.peek()
    reader = csv.reader(lines, delimiter=";")
    next(reader)
    check = checker()
    rejections: list[Rejection] = []
    count = 0
    for number, fields in csv_records.records(lines, reader, "utf-8", rejections):
        assert isinstance(check.check(number, fields), MarkInput)
        count += 1
    assert rejections == []
    return count


def test_memory_stays_flat_whatever_the_size_of_the_file() -> None:
    peaks = []
    for rows in (20_000, 200_000):
        tracemalloc.start()
        try:
            assert _parse_all(rows) == rows
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < 2 * 1024 * 1024
    assert peaks[1] < peaks[0] * 1.5


# --- the marks the alert rules read -------------------------------------------------------------

STATUSES = st.sampled_from(
    [
        (AttendanceStatus.PRESENT, Decimal("4.00")),
        (AttendanceStatus.PRESENT, Decimal("2.00")),
        (AttendanceStatus.EXCUSED, Decimal("0.00")),
        (AttendanceStatus.UNEXCUSED, Decimal("0.00")),
        (AttendanceStatus.UNEXCUSED, Decimal("1.00")),
    ]
)


def _fake_uow(held: list[Session], marks: dict[tuple[uuid.UUID, uuid.UUID], tuple[AttendanceStatus, Decimal]]) -> Any:
    async def sessions_of(course_id: uuid.UUID, first: date | None = None, last: date | None = None) -> list[Session]:
        return [session for session in held if last is None or session.held_on <= last]

    async def marks_at(session_ids: list[uuid.UUID], people: list[uuid.UUID]) -> list[Any]:
        return [
            (session_id, person, *marks[session_id, person])
            for session_id in session_ids
            for person in people
            if (session_id, person) in marks
        ]

    return SimpleNamespace(
        courses=SimpleNamespace(sessions_of=sessions_of), attendance=SimpleNamespace(marks_at=marks_at)
    )


@settings(max_examples=60, deadline=None)
@given(
    history=st.lists(st.tuples(STATUSES, st.booleans(), st.booleans()), min_size=1, max_size=150),
    resolved_days_ago=st.none() | st.integers(min_value=0, max_value=120),
)
async def test_the_alert_rules_find_the_same_from_the_marks_read_as_from_every_mark(
    history: list[tuple[tuple[AttendanceStatus, Decimal], bool, bool]], resolved_days_ago: int | None
) -> None:
    """Two sessions a day on weekdays up to today; a mark may be missing or be a French-support one."""
    today = date(2026, 6, 30)
    people = [uuid.uuid4(), uuid.uuid4()]
    held: list[Session] = []
    marks: dict[tuple[uuid.UUID, uuid.UUID], tuple[AttendanceStatus, Decimal]] = {}
    every: dict[uuid.UUID, list[alerts.DatedMark]] = {person: [] for person in people}
    for index, ((status, attended), recorded, support) in enumerate(reversed(history)):
        day = today - timedelta(days=index // 2)
        kind = SessionKind.FRENCH_SUPPORT if support else SessionKind.CORE
        session = Session(
            uuid.uuid4(), COURSE.id, day, time(9 + 5 * (index % 2)), time(13 + 5 * (index % 2)), Decimal("4.00"), kind
        )
        held.append(session)
        for number, person in enumerate(people):
            if recorded or number == 1:
                marks[session.id, person] = (status, attended)
    held.sort(key=lambda session: (session.held_on, session.starts_at))
    order = {session.id: position for position, session in enumerate(held)}
    by_day = {session.id: session for session in held}
    for person in people:
        every[person] = [
            alerts.DatedMark(by_day[session_id].held_on, Mark(status, attended, by_day[session_id].hours))
            for (session_id, who), (status, attended) in sorted(marks.items(), key=lambda item: order[item[0][0]])
            if who == person and by_day[session_id].kind is SessionKind.CORE
        ]
    resolved = (
        {rule: today - timedelta(days=resolved_days_ago) for rule in AlertRule}
        if resolved_days_ago is not None
        else None
    )
    read = await _alert_marks(_fake_uow(held, marks), COURSE, people, today)
    for person in people:
        assert alerts.evaluate(read.get(person, []), today, resolved_on=resolved) == alerts.evaluate(
            every[person], today, resolved_on=resolved
        )


def test_a_ledger_from_marks_added_up_per_status_is_the_ledger_from_every_mark() -> None:
    sessions = [(SessionKind.CORE, Decimal("3.50"))] * 6 + [(SessionKind.FRENCH_SUPPORT, Decimal("2.00"))] * 3
    statuses = [
        (AttendanceStatus.PRESENT, Decimal("3.50")),
        (AttendanceStatus.PRESENT, Decimal("2.25")),
        (AttendanceStatus.EXCUSED, Decimal("0.00")),
        (AttendanceStatus.EXCUSED, Decimal("1.00")),
        (AttendanceStatus.UNEXCUSED, Decimal("0.00")),
        (AttendanceStatus.PRESENT, Decimal("3.50")),
        (AttendanceStatus.PRESENT, Decimal("2.00")),
        (AttendanceStatus.UNEXCUSED, Decimal("0.00")),
        (AttendanceStatus.EXCUSED, Decimal("0.50")),
    ]
    course = Course(**{**COURSE.__dict__, "support_french_hours": Decimal("60.00")})
    every = [
        CourseMark(PERSON, uuid.uuid4(), START, hours, kind, status, attended)
        for (kind, hours), (status, attended) in zip(sessions, statuses, strict=True)
    ]
    totals: dict[tuple[SessionKind, AttendanceStatus], list[Decimal]] = {}
    for mark in every:
        found = totals.setdefault((mark.kind, mark.status), [Decimal(0), Decimal(0)])
        found[0] += mark.session_hours
        found[1] += mark.hours_attended
    added_up = [
        MarkTotal(PERSON, kind, status, hours, attended) for (kind, status), (hours, attended) in totals.items()
    ]
    assert person_ledgers(course, added_up, [PERSON]) == person_ledgers(course, every, [PERSON])
