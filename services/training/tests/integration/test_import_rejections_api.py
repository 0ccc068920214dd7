"""A junk import's answer stays small: counts per reason and the first rejected rows; the full list is
downloaded apart, as CSV, by the organisation that imported the file and by no one else."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from hopekit.testing import TokenIssuer, running
from hopekit.uow import Database
from training_service.main import create_app

from .conftest import settings_for
from .test_attendance_api import CSV_HEADER, Setup, upload

pytestmark = pytest.mark.integration

SHOWN = 3


@pytest.fixture
async def setup(database_url: str, issuer: TokenIssuer, database: Database) -> AsyncIterator[Setup]:
    app = create_app(settings_for(database_url, issuer, import_rejections_shown=SHOWN))
    async with running(app) as http:
        found = Setup(http, issuer, database)
        await found.enrol()
        yield found


def junk(setup: Setup, rows: int) -> bytes:
    """A valid row, then ``rows`` rejected ones alternating two reasons (invalid id, not in the cohort)."""
    lines = [f"{setup.people[0]};2026-01-05;09:00;present;4\n"]
    for number in range(rows):
        if number % 2:
            lines.append(f"{setup.stranger};2026-01-05;09:00;present;4\n")
        else:
            lines.append(f"junk-{number};2026-01-05;09:00;present;4\n")
    return (CSV_HEADER + "".join(lines)).encode()


async def rejections_of(setup: Setup, import_id: str, org: uuid.UUID | None = None) -> httpx.Response:
    return await setup.http.get(f"/v1/attendance-imports/{import_id}/rejections", headers=setup.as_provider(org))


async def test_the_answer_counts_rejections_per_reason_and_shows_only_the_first_ones(setup: Setup) -> None:
    course = await setup.course()

    report = (await upload(setup, course["id"], junk(setup, 10))).json()

    assert (report["applied"], report["rejected"]) == (1, 10)
    assert report["rejected_by_reason"] == {"invalid_beneficiary_id": 5, "not_in_cohort": 5}
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [
        (3, "invalid_beneficiary_id"),
        (4, "not_in_cohort"),
        (5, "invalid_beneficiary_id"),
    ]
    assert report["rejections_complete"] is False


async def test_every_rejected_row_is_downloaded_as_csv_by_the_importing_organisation(setup: Setup) -> None:
    course = await setup.course()
    report = (await upload(setup, course["id"], junk(setup, 10))).json()

    response = await rejections_of(setup, report["id"])

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert sorted(int(row["line"]) for row in rows) == list(range(3, 13))
    assert {row["reason"] for row in rows} == {"invalid_beneficiary_id", "not_in_cohort"}
    assert {row["beneficiary_id"] for row in rows if row["reason"] == "not_in_cohort"} == {str(setup.stranger)}


async def test_another_organisation_cannot_read_an_imports_rejections(setup: Setup) -> None:
    course = await setup.course()
    report = (await upload(setup, course["id"], junk(setup, 2))).json()

    assert (await rejections_of(setup, report["id"], org=uuid.uuid4())).status_code == 404
    assert (await rejections_of(setup, str(uuid.uuid4()))).status_code == 404


async def test_a_refused_all_or_nothing_import_keeps_its_rejections_and_no_mark(setup: Setup) -> None:
    course = await setup.course()

    refused = await upload(setup, course["id"], junk(setup, 4), all_or_nothing="true")

    assert refused.status_code == 422
    report = refused.json()["report"]
    assert (report["committed"], report["applied"], report["rejected"]) == (False, 0, 4)
    rows = list(csv.DictReader(io.StringIO((await rejections_of(setup, report["id"])).text)))
    assert len(rows) == 4
    sheet = await setup.http.get(f"/v1/sessions/{course['sessions'][0]['id']}/attendance", headers=setup.as_provider())
    assert sheet.json()["entries"] == []


async def test_each_rejected_row_names_the_column_at_fault_and_says_what_is_wrong(setup: Setup) -> None:
    course = await setup.course()
    a, b, c = (str(person) for person in setup.people)
    lines = [
        f"{a};2026-01-05;09:00;present;4\n",  # 2 valid
        "junk;2026-01-05;09:00;present;4\n",  # 3
        f"{a};2026-13-40;09:00;present;4\n",  # 4
        f"{a};2026-01-06;09:00;present;4\n",  # 5 no session that day
        f"{a};2026-01-09;9h30;present;4\n",  # 6 a session that day, not at that time
        f"{b};2026-01-09;09:00;maybe;4\n",  # 7
        f"{b};2026-01-12;09:00;present;lots\n",  # 8
        f"{b};2026-01-14;09:00;present\n",  # 9
        f"{c};2026-01-16;09:00;present;5\n",  # 10
        f"{setup.stranger};2026-01-16;09:00;present;4\n",  # 11
        f"{a};2026-03-02;09:00;present;4\n",  # 12
    ]
    report = (await upload(setup, course["id"], (CSV_HEADER + "".join(lines)).encode())).json()

    expected = [
        ("3", "", "beneficiary_id", "invalid_beneficiary_id", "beneficiary_id is not a UUID"),
        ("4", a, "date", "invalid_date", "date is neither YYYY-MM-DD nor DD/MM/YYYY"),
        ("5", a, "date", "no_session", "the course has no session on 2026-01-06 at that time"),
        ("6", a, "start", "no_session", "the course has no session on 2026-01-09 at that time"),
        ("7", b, "status", "invalid_status", "status is present, excused or unexcused"),
        ("8", b, "hours", "invalid_hours", "hours is not a number such as 3,5"),
        ("9", "", "", "wrong_field_count", "expected 5 fields, found 4"),
        ("10", c, "hours", "hours_above_session", "5.00 hours attended is more than the session's 4.00 hours"),
        (
            "11",
            str(setup.stranger),
            "beneficiary_id",
            "not_in_cohort",
            f"the person is not a member of cohort {setup.cohort}",
        ),
        ("12", a, "date", "date_outside_course", "2026-03-02 is outside the course (2026-01-05 to 2026-01-30)"),
    ]
    assert (report["applied"], report["rejected"]) == (1, len(expected))
    shown = [
        (str(r["line"]), r["beneficiary_id"] or "", r["field"] or "", r["reason"], r["message"])
        for r in report["rejections"]
    ]
    assert shown == expected[:SHOWN]
    assert all(r["detail"] == r["message"] for r in report["rejections"])

    download = await rejections_of(setup, report["id"])
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0] == ["line", "beneficiary_id", "field", "reason", "message"]
    assert sorted((tuple(row) for row in rows[1:]), key=lambda row: int(row[0])) == expected
