"""Bad input gets a 4xx problem document naming what is wrong, never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hope_infra.testing import assert_problem

from .programme import Programme, days_ago

pytestmark = pytest.mark.integration

DATES = {"starts_on": days_ago(10), "ends_on": days_ago(-10)}


async def test_bad_input_is_a_problem_naming_it(programme: Programme) -> None:
    group = await programme.cohort(size=1)
    course = await programme.course(cohort=group)
    session = await programme.session(course, days_ago(1))
    person = str(group.people[0])
    sessions = f"/v1/courses/{course['id']}/sessions"
    sheet = f"/v1/sessions/{session['id']}/attendance"
    completion = f"/v1/courses/{course['id']}/participants/{person}/completion"

    def opened(**fields: Any) -> dict[str, Any]:
        return {"step": 3, "beneficiary_id": person, "provider_org_id": str(uuid.uuid4()), **DATES, **fields}

    def held(day: int = 1, starts_at: str = "09:00", ends_at: str = "12:00", **fields: Any) -> dict[str, Any]:
        return {"held_on": days_ago(day), "starts_at": starts_at, "ends_at": ends_at, **fields}

    def weekly(start: str, end: str, *weekdays: int) -> dict[str, Any]:
        return {"from": start, "until": end, "weekdays": list(weekdays), "starts_at": "09:00", "ends_at": "12:00"}

    def line(**fields: Any) -> dict[str, Any]:
        return {"entries": [{"beneficiary_id": person, "status": "present", **fields}]}

    # (method, path, JSON body, status, problem type, the field named in "errors")
    cases: list[tuple[str, str, Any, int, str, str | None]] = [
        ("POST", "/v1/courses", {}, 422, "validation", "step"),
        ("POST", "/v1/courses", opened(step=2), 422, "validation", "step"),
        ("POST", "/v1/courses", opened(planned_hours="1e9"), 422, "validation", "planned_hours"),
        ("POST", "/v1/courses", opened(planned_hours="2000"), 422, "invalid-value", "planned_hours"),
        ("POST", "/v1/courses", opened(ends_on=days_ago(20)), 422, "invalid-value", "ends_on"),
        ("POST", "/v1/courses", opened(cohort_id=str(uuid.uuid4())), 422, "invalid-value", "cohort_id"),
        ("POST", "/v1/courses", opened(colour="blue"), 422, "validation", "colour"),
        ("POST", sessions, held(starts_at="12:00", ends_at="09:00"), 422, "invalid-value", "ends_at"),
        ("POST", sessions, held(starts_at="09:00+02:00"), 422, "validation", "starts_at"),
        ("POST", sessions, held(starts_at="25:00"), 422, "validation", "starts_at"),
        ("POST", sessions, held(hours="3.5"), 422, "invalid-value", "hours"),
        ("POST", sessions, held(hours="NaN"), 422, "validation", "hours"),
        ("POST", sessions, held(trainer="x" * 101), 422, "validation", "trainer"),
        ("POST", sessions, held(place="Salle\x002"), 422, "validation", "place"),
        ("POST", sessions, held(day=-400), 422, "session-outside-course", None),
        ("POST", sessions, {**held(), "held_on": "2026-02-30"}, 422, "validation", "held_on"),
        ("POST", f"{sessions}/weekly", weekly(days_ago(5), days_ago(1), 7), 422, "validation", "weekdays.0"),
        ("POST", f"{sessions}/weekly", weekly(days_ago(1), days_ago(5), 1), 422, "invalid-value", "until"),
        ("POST", f"{sessions}/weekly", weekly("2026-01-01", "2030-01-01", 1), 422, "invalid-value", "until"),
        ("POST", f"{sessions}/weekly", weekly("2026-01-01", "9999-12-31", 1), 422, "invalid-value", "until"),
        ("POST", f"{sessions}/weekly", weekly("9999-12-01", "9999-12-31", 4), 422, "session-outside-course", None),
        ("POST", "/v1/courses", opened(ends_on="9999-12-31"), 422, "invalid-value", "ends_on"),
        ("PUT", sheet, {"entries": []}, 422, "validation", "entries"),
        ("PUT", sheet, line(status="late"), 422, "validation", "entries.0.status"),
        ("PUT", sheet, line(status="excused", hours_attended="-1"), 422, "validation", "entries.0.hours_attended"),
        ("PUT", sheet, line(beneficiary_id="nobody"), 422, "validation", "entries.0.beneficiary_id"),
        ("PUT", sheet, line(hours_attended="4.5"), 422, "attendance-refused", None),
        ("PUT", f"/v1/sessions/{uuid.uuid4()}/attendance", line(), 404, "session-not-found", None),
        ("POST", completion, {"waiver_reason": "x" * 501}, 422, "validation", "waiver_reason"),
        ("POST", completion, None, 422, "validation", None),
        ("POST", "/v1/assessments", {"beneficiary_id": person, "level": "A1"}, 422, "validation", "test"),
        ("POST", "/v1/qualifications", {"certification_name": "x" * 201}, 422, "validation", "certification_name"),
        ("GET", "/v1/courses/not-a-uuid", None, 422, "validation", "course_id"),
        ("GET", f"/v1/courses/{uuid.uuid4()}", None, 404, "course-not-found", None),
        ("GET", "/v1/courses?limit=100000", None, 422, "validation", "limit"),
        ("GET", "/v1/courses?step=5", None, 422, "validation", "step"),
        ("GET", "/v1/courses?cursor=%%%", None, 400, "invalid-cursor", None),
        ("GET", "/v1/alerts?cursor=eyJhZnRlciI6MX0", None, 400, "invalid-cursor", None),  # {"after":1}
        ("GET", "/v1/alerts?beneficiary_id=42", None, 422, "validation", "beneficiary_id"),
    ]
    for method, path, body, status, slug, field in cases:
        response = await programme.http.request(method, path, json=body, headers=programme.as_school())
        problem = assert_problem(response, status, slug)
        if field is not None:
            assert field in [error["field"] for error in problem["errors"]], (method, path, problem)


async def test_malformed_json_and_a_missing_token_are_problems_too(programme: Programme) -> None:
    malformed = await programme.http.post(
        "/v1/courses", content=b"{not json", headers={**programme.as_school(), "content-type": "application/json"}
    )
    assert_problem(malformed, 400, "malformed-json")
    assert_problem(await programme.http.get("/v1/alerts"), 401, "unauthenticated")
    assert_problem(await programme.http.post("/v1/assessments", json={}), 401, "unauthenticated")
