"""CSV sheets as providers' spreadsheets write them, uploaded over HTTP on SQLite and PostgreSQL: quoted
fields over several lines (RFC 4180) with the physical line of every rejected row, UTF-8 with or without
BOM or Windows-1252, ``;`` or ``,``, French decimal commas; re-imports and all-or-nothing unchanged."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from .programme import RECORDED, Cohort, Programme, days_ago, outbox

pytestmark = pytest.mark.integration


async def upload(programme: Programme, course: dict[str, Any], content: bytes, **params: str) -> httpx.Response:
    return await programme.http.post(
        "/v1/attendance-imports",
        params={"course_id": course["id"], **params},
        files={"file": ("presences.csv", content, "text/csv")},
        headers=programme.as_school(),
    )


async def sheet(programme: Programme, session: dict[str, Any]) -> dict[str, tuple[str, str]]:
    response = await programme.http.get(f"/v1/sessions/{session['id']}/attendance", headers=programme.as_school())
    assert response.status_code == 200, response.text
    return {e["beneficiary_id"]: (e["status"], e["hours_attended"]) for e in response.json()["entries"]}


async def planned(programme: Programme) -> tuple[Cohort, dict[str, Any], list[dict[str, Any]]]:
    """A cohort of three, its course, two sessions of 3.5 h eight and seven days ago."""
    cohort = await programme.cohort(size=3)
    course = await programme.course(cohort=cohort)
    sessions = [
        await programme.session(course, days_ago(8), "09:00", "12:30"),
        await programme.session(course, days_ago(7), "09:00", "12:30"),
    ]
    return cohort, course, sessions


def french(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


async def test_quoted_fields_over_several_lines_are_one_row_and_rejections_name_their_physical_line(
    programme: Programme, database_url: str
) -> None:
    cohort, course, (first, second) = await planned(programme)
    a, b, c = (str(person) for person in cohort.people)
    day1, day2 = french(first["held_on"]), french(second["held_on"])
    lines = [
        "beneficiaire;date;heure_debut;statut;heures;commentaire\r\n",  # 1
        f"{a};{day1};09:00;présent;3,5;\"arrivé à l'heure\r\n",  # 2 a row over three lines...
        "bus en grève ; venu à pied\r\n",  # 3
        'signé ""A. M."""\r\n',  # 4 ... a delimiter and quotes inside
        f"{uuid.uuid4()};{day1};09:00;présent;3,5;\r\n",  # 5 unknown person
        f"{b};{day1};09:00;présent;2,5;\r\n",  # 6
        f'{c};{day1};09:00;là;3,5;"statut\r\n',  # 7 invalid status, over two lines
        'inconnu"\r\n',  # 8
        f"{c};{day2};09:00;présent;5;\r\n",  # 9 hours above the session's
        "\r\n",  # 10 blank
        f'{a};{day2};09:00;absent;0;"jamais\r\n',  # 11 a quote never closed: only this row is lost
        f"{b};{day2};09:00;présent;3,5;\r\n",  # 12
        f"{c};{day1};09:00;excusé;0;\r\n",  # 13 the same person and session as line 7, now valid
    ]
    content = "".join(lines).encode()
    response = await upload(programme, course, content)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [
        (5, "unknown_beneficiary"),
        (7, "invalid_status"),
        (9, "hours_above_session"),
        (11, "unclosed_quote"),
    ]
    assert (report["rows_read"], report["applied"], report["rejected"]) == (7, 4, 4)
    assert await sheet(programme, first) == {a: ("present", "3.50"), b: ("present", "2.50"), c: ("excused", "0.00")}
    assert await sheet(programme, second) == {b: ("present", "3.50")}
    assert len(await outbox(database_url, RECORDED)) == 2

    again = (await upload(programme, course, content)).json()
    assert (again["applied"], again["unchanged"], again["sessions_published"]) == (0, 4, 0)
    assert [r["line"] for r in again["rejections"]] == [5, 7, 9, 11]
    assert len(await outbox(database_url, RECORDED)) == 2


async def test_all_or_nothing_applies_nothing_when_a_row_over_several_lines_is_rejected(
    programme: Programme, database_url: str
) -> None:
    cohort, course, (first, _) = await planned(programme)
    a, b, _c = (str(person) for person in cohort.people)
    day = french(first["held_on"])
    content = (
        "beneficiary_id;date;start;status;hours;comment\n"
        f"{a};{day};09:00;present;3,5;\n"
        f'{b};{day};09:00;present;9;"far\ntoo\nmany hours"\n'
        f"{b};{day};10:00;present;1;\n"
    ).encode()
    response = await upload(programme, course, content, all_or_nothing="true")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:hope:problem:attendance-import-refused"
    report = response.json()["report"]
    assert report["committed"] is False
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [(3, "hours_above_session"), (6, "no_session")]
    assert await sheet(programme, first) == {}
    assert await outbox(database_url, RECORDED) == []


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "newline", "reported"),
    [
        ("utf-8", True, ",", "\r\n", "utf-8-sig"),
        ("utf-8", False, ";", "\n", "utf-8"),
        ("cp1252", False, ";", "\r\n", "cp1252"),
        ("cp1252", False, ",", "\n", "cp1252"),
    ],
)
async def test_every_encoding_and_separator_a_spreadsheet_writes(
    programme: Programme, encoding: str, bom: bool, delimiter: str, newline: str, reported: str
) -> None:
    cohort, course, (first, second) = await planned(programme)
    a, b, c = (str(person) for person in cohort.people)
    hours = '"2,75"' if delimiter == "," else "2,75"  # a French decimal comma is quoted in a ","-separated file
    rows = [
        ["beneficiary_id", "date", "start", "status", "hours", "remarque"],
        [a, french(first["held_on"]), "09h00", "Présent", hours, '"retard ; train\nsupprimé"'],
        [b, first["held_on"], "9:00", "excusé", "0", ""],
        [c, french(second["held_on"]), "", "absent", "", '"élève prévenu"'],
        [str(uuid.uuid4()), french(second["held_on"]), "09:00", "P", "3", ""],
    ]
    text = newline.join(delimiter.join(fields) for fields in rows) + newline
    content = ("\ufeff" if bom else "") + text
    response = await upload(programme, course, content.encode(encoding))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["encoding"], report["delimiter"]) == (reported, delimiter)
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [(6, "unknown_beneficiary")]
    assert await sheet(programme, first) == {a: ("present", "2.75"), b: ("excused", "0.00")}
    assert await sheet(programme, second) == {c: ("unexcused", "0.00")}


async def test_a_line_that_is_not_valid_utf8_inside_a_quoted_field_rejects_its_row_on_its_first_line(
    programme: Programme,
) -> None:
    cohort, course, (first, second) = await planned(programme)
    a, b, _c = (str(person) for person in cohort.people)
    content = (
        f'beneficiary_id;date;start;status;hours;comment\n{a};{first["held_on"]};09:00;present;3,5;"note\n'.encode()
        + 'r\xe9dig\xe9e"\n'.encode("cp1252")
        + f"{b};{second['held_on']};09:00;present;3,5;\n".encode()
    )
    report = (await upload(programme, course, content, encoding="utf-8")).json()
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [(2, "invalid_encoding")]
    assert report["applied"] == 1
    assert await sheet(programme, second) == {b: ("present", "3.50")}
