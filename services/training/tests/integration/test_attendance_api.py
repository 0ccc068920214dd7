"""Courses, sessions and attendance over HTTP; one event per session sheet; imports of malformed CSV."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from hope_contracts import enrolment
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import assert_problem
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from training_service.adapters import tables
from training_service.adapters.tables import kit

from .conftest import deliver, received

pytestmark = pytest.mark.integration

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
RECORDED = "fr.hope.training.session.attendance_recorded.v1"


async def outbox(url: str) -> list[tuple[str, bytes]]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(kit.outbox.c.type, kit.outbox.c.payload).order_by(kit.outbox.c.position)
            )
            return [(row.type, row.payload) for row in rows]
    finally:
        await engine.dispose()


class Setup:
    def __init__(self, http: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> None:
        self.http, self.issuer, self.database = http, issuer, database
        self.provider = uuid.uuid4()
        self.cohort = uuid.uuid4()
        self.people = [uuid.uuid4() for _ in range(3)]
        self.stranger = uuid.uuid4()

    def as_provider(self, org: uuid.UUID | None = None) -> dict[str, str]:
        return self.issuer.headers(OrgKind.TRAINING_PROVIDER, Role.WRITER, org_id=org or self.provider)

    async def enrol(self) -> None:
        await deliver(
            self.database,
            received(
                enrolment.CohortCreated(
                    cohort_id=self.cohort,
                    sector_code="logistics",
                    region="11",
                    track="group",
                    training_provider_org_id=self.provider,
                    support_provider_org_id=uuid.uuid4(),
                    capacity=12,
                    occurred_at=NOW,
                )
            ),
        )
        for person in self.people:
            await deliver(
                self.database,
                received(
                    enrolment.StepStarted(
                        beneficiary_id=person, step=3, track="group", cohort_id=self.cohort, occurred_at=NOW
                    )
                ),
            )
        # registered, but in no cohort
        await deliver(
            self.database,
            received(
                enrolment.BeneficiaryRegistered(
                    beneficiary_id=self.stranger,
                    track="group",
                    protection_status="refugee",
                    registered_by_org_id=uuid.uuid4(),
                    occurred_at=NOW,
                )
            ),
        )

    async def course(self) -> dict[str, Any]:
        response = await self.http.post(
            "/v1/courses",
            json={
                "step": 3,
                "cohort_id": str(self.cohort),
                "provider_org_id": str(self.provider),
                "starts_on": "2026-01-05",
                "ends_on": "2026-01-30",
            },
            headers=self.as_provider(),
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        sessions = await self.http.post(
            f"/v1/courses/{body['id']}/sessions/weekly",
            json={
                "from": "2026-01-05",
                "until": "2026-01-16",
                "weekdays": [0, 2, 4],
                "days_off": ["2026-01-07"],
                "starts_at": "09:00",
                "ends_at": "13:00",
                "trainer": "M. Martin",
                "place": "Salle 2",
            },
            headers=self.as_provider(),
        )
        assert sessions.status_code == 201, sessions.text
        body["sessions"] = sessions.json()
        return body


@pytest.fixture
async def setup(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Setup:
    found = Setup(client, issuer, database)
    await found.enrol()
    return found


async def test_a_sheet_recorded_over_http_produces_its_event_once(setup: Setup, database_url: str) -> None:
    course = await setup.course()
    assert [s["held_on"] for s in course["sessions"]] == [
        "2026-01-05",
        "2026-01-09",
        "2026-01-12",
        "2026-01-14",
        "2026-01-16",
    ]
    session = course["sessions"][0]
    sheet = {
        "entries": [
            {"beneficiary_id": str(setup.people[0]), "status": "present"},
            {"beneficiary_id": str(setup.people[1]), "status": "present", "hours_attended": "2.5"},
            {"beneficiary_id": str(setup.people[2]), "status": "excused"},
        ]
    }
    first = await setup.http.put(f"/v1/sessions/{session['id']}/attendance", json=sheet, headers=setup.as_provider())
    again = await setup.http.put(f"/v1/sessions/{session['id']}/attendance", json=sheet, headers=setup.as_provider())
    assert first.status_code == 200, first.text
    assert (first.json()["applied"], again.json()["applied"], again.json()["unchanged"]) == (3, 0, 3)
    events = [payload for kind, payload in await outbox(database_url) if kind == RECORDED]
    assert len(events) == 1
    assert b'"hours_attended":"2.50"' in events[0]
    assert b"Martin" not in events[0]

    # a correction keeps the previous value
    corrected = {"entries": [{"beneficiary_id": str(setup.people[1]), "status": "present"}]}
    response = await setup.http.put(
        f"/v1/sessions/{session['id']}/attendance", json=corrected, headers=setup.as_provider()
    )
    assert response.json()["applied"] == 1
    async with setup.database.engine.connect() as connection:
        previous = (await connection.execute(select(tables.attendance_corrections))).one()
    assert str(previous.previous_hours) == "2.50"
    assert previous.previous_recorded_by == "test-client"
    assert len([k for k, _ in await outbox(database_url) if k == RECORDED]) == 2

    ledger = await setup.http.get(f"/v1/courses/{course['id']}/ledger", headers=setup.as_provider())
    assert ledger.status_code == 200
    assert ledger.json()["total"]["attended"] == "8.00"
    assert ledger.json()["total"]["excused"] == "4.00"
    person = await setup.http.get(
        f"/v1/courses/{course['id']}/participants/{setup.people[2]}/ledger", headers=setup.as_provider()
    )
    assert person.json()["hours"]["remaining"] == "400.00"


async def test_attendance_for_someone_outside_the_cohort_is_refused_with_the_reason(setup: Setup) -> None:
    course = await setup.course()
    session = course["sessions"][0]
    sheet = {
        "entries": [
            {"beneficiary_id": str(setup.people[0]), "status": "present"},
            {"beneficiary_id": str(setup.stranger), "status": "present"},
            {"beneficiary_id": str(uuid.uuid4()), "status": "present"},
            {"beneficiary_id": str(setup.people[1]), "status": "present", "hours_attended": "5"},
        ]
    }
    response = await setup.http.put(f"/v1/sessions/{session['id']}/attendance", json=sheet, headers=setup.as_provider())
    problem = assert_problem(response, 422, "attendance-refused")
    assert [(e["field"], e["pointer"], e["reason"]) for e in problem["errors"]] == [
        ("entries.1.beneficiary_id", "/entries/1/beneficiary_id", "not_in_cohort"),
        ("entries.2.beneficiary_id", "/entries/2/beneficiary_id", "unknown_beneficiary"),
        ("entries.3.hours_attended", "/entries/3/hours_attended", "hours_above_session"),
    ]
    not_member, unknown, too_long = problem["errors"]
    assert not_member["message"] == f"the person is not a member of cohort {setup.cohort}"
    assert unknown["message"] == "enrolment has told us nothing about this person"
    assert too_long["message"] == "5.00 hours attended is more than the session's 4.00 hours"
    assert (too_long["line"], too_long["beneficiary_id"]) == (3, str(setup.people[1]))
    assert all(error["detail"] == error["message"] for error in problem["errors"])  # as clients before it read
    other = await setup.http.put(
        f"/v1/sessions/{session['id']}/attendance", json=sheet, headers=setup.as_provider(uuid.uuid4())
    )
    assert other.status_code == 404


async def test_step_four_completion_needs_hours_or_a_waiver(setup: Setup, database_url: str) -> None:
    for person in setup.people[:1]:
        await deliver(
            setup.database,
            received(
                enrolment.StepStarted(
                    beneficiary_id=person, step=4, track="group", cohort_id=setup.cohort, occurred_at=NOW
                )
            ),
        )
    response = await setup.http.post(
        "/v1/courses",
        json={
            "step": 4,
            "cohort_id": str(setup.cohort),
            "provider_org_id": str(setup.provider),
            "starts_on": "2026-02-01",
            "ends_on": "2026-06-30",
            "support_french_hours": "60",
        },
        headers=setup.as_provider(),
    )
    course = response.json()
    url = f"/v1/courses/{course['id']}/participants/{setup.people[0]}/completion"
    refused = await setup.http.post(url, json={}, headers=setup.as_provider())
    assert refused.status_code == 409
    assert refused.json()["planned_hours"] == "450.00"
    done = await setup.http.post(
        url, json={"waiver_reason": "hired by the employer before the end"}, headers=setup.as_provider()
    )
    assert done.status_code == 200, done.text
    assert any(kind == "fr.hope.training.course.completed.v1" for kind, _ in await outbox(database_url))


CSV_HEADER = "beneficiary_id;date;start;status;hours\n"


async def upload(setup: Setup, course_id: str, content: bytes, **params: Any) -> httpx.Response:
    return await setup.http.post(
        "/v1/attendance-imports",
        params={"course_id": course_id, **params},
        files={"file": ("sheet.csv", content, "text/csv")},
        headers=setup.as_provider(),
    )


async def test_a_malformed_csv_gets_a_precise_report_and_loses_no_valid_row(setup: Setup, database_url: str) -> None:
    course = await setup.course()
    a, b, c = (str(p) for p in setup.people)
    lines = [
        f"{a};05/01/2026;09:00;présent;4\n",  # 2 valid (French date, French status)
        f"{b};2026-01-05;09h00;present;3,5\n",  # 3 valid (decimal comma)
        f"{setup.stranger};2026-01-05;09:00;present;4\n",  # 4 not in the cohort
        f"{uuid.uuid4()};2026-01-05;09:00;present;4\n",  # 5 unknown person
        f"{c};2026-01-05;09:00;present;4,5\n",  # 6 hours above the session's
        f"{c};2026-02-20;09:00;present;4\n",  # 7 outside the course
        f"{c};2026-01-06;09:00;present;4\n",  # 8 no session that day
        f"{c};2026-01-09;09:00;absent\n",  # 9 wrong field count
        "not-a-uuid;2026-01-09;09:00;absent;0\n",  # 10
        f"{c};2026-01-09;09:00;absent;0\n",  # 11 valid
    ]
    content = (CSV_HEADER + "".join(lines)).encode("cp1252")  # Windows-1252: "présent"
    response = await upload(setup, course["id"], content)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["encoding"] == "cp1252"
    assert report["delimiter"] == ";"
    assert (report["applied"], report["rejected"]) == (3, 7)
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [
        (4, "not_in_cohort"),
        (5, "unknown_beneficiary"),
        (6, "hours_above_session"),
        (7, "date_outside_course"),
        (8, "no_session"),
        (9, "wrong_field_count"),
        (10, "invalid_beneficiary_id"),
    ]
    assert report["sessions_published"] == 2

    # the same file again changes nothing
    again = (await upload(setup, course["id"], content)).json()
    assert (again["applied"], again["unchanged"], again["sessions_published"]) == (0, 3, 0)
    assert len([k for k, _ in await outbox(database_url) if k == RECORDED]) == 2

    # all-or-nothing applies nothing when a row is rejected
    changed = (CSV_HEADER + f"{a};2026-01-12;09:00;present;4\n" + lines[2]).encode()
    atomic = await upload(setup, course["id"], changed, all_or_nothing="true")
    assert atomic.status_code == 422
    assert atomic.headers["content-type"] == "application/problem+json"
    assert atomic.json()["report"]["committed"] is False
    async with setup.database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(tables.attendance)) == 3


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"beneficiary_id;status\nx;present\n", "missing_columns"),
        ("beneficiary_id;date;status\n".encode("utf-16"), "unsupported_encoding"),
        (b"", "empty_file"),
    ],
)
async def test_files_that_cannot_be_read_are_refused_whole(setup: Setup, content: bytes, reason: str) -> None:
    course = await setup.course()
    response = await upload(setup, course["id"], content)
    assert response.status_code == 422
    assert response.json()["reason"] == reason


async def test_invalid_utf8_lines_are_reported_when_utf8_is_declared(setup: Setup) -> None:
    course = await setup.course()
    a = str(setup.people[0])
    content = (
        CSV_HEADER + f"{a};2026-01-05;09:00;present;4\n"
    ).encode() + f"{a};2026-01-09;09:00;pr\xe9sent;4\n".encode("cp1252")
    report = (await upload(setup, course["id"], content, encoding="utf-8")).json()
    assert report["applied"] == 1
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [(3, "invalid_encoding")]
