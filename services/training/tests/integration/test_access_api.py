"""Who reads and writes what, per organisation, on SQLite and PostgreSQL: a provider its own courses and
people, the operator everything, OFII step 1 and language levels, employers nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hope_contracts.vocabulary import Role
from hope_infra.testing import assert_problem

from .programme import ATTESTED, OTHER_SCHOOL, RECORDED, SCHOOL, Programme, days_ago, outbox

pytestmark = pytest.mark.integration


async def a_course_in_progress(programme: Programme) -> tuple[dict[str, Any], dict[str, Any], uuid.UUID]:
    group = await programme.cohort(size=1)
    course = await programme.course(cohort=group)
    session = await programme.session(course, days_ago(1))
    [person] = group.people
    assert (await programme.sheet(session, {person: "present"}, programme.as_school())).status_code == 200
    return course, session, person


def reads(course: dict[str, Any], session: dict[str, Any], person: uuid.UUID) -> list[str]:
    return [
        f"/v1/courses/{course['id']}",
        f"/v1/courses/{course['id']}/sessions",
        f"/v1/courses/{course['id']}/ledger",
        f"/v1/courses/{course['id']}/participants/{person}/ledger",
        f"/v1/sessions/{session['id']}/attendance",
        f"/v1/beneficiaries/{person}/ledger",
        f"/v1/beneficiaries/{person}/language",
        f"/v1/beneficiaries/{person}/qualifications",
        f"/v1/alerts?course_id={course['id']}",
    ]


async def test_a_provider_neither_reads_nor_writes_another_providers_course_or_its_people(
    programme: Programme,
) -> None:
    course, session, person = await a_course_in_progress(programme)
    other = programme.as_school(org=OTHER_SCHOOL)

    for path in reads(course, session, person):
        assert (await programme.http.get(path, headers=programme.as_school())).status_code == 200, path
        assert_problem(await programme.http.get(path, headers=other), 404)

    added = await programme.http.post(
        f"/v1/courses/{course['id']}/sessions",
        json={"held_on": days_ago(0), "starts_at": "14:00", "ends_at": "16:00"},
        headers=other,
    )
    assert_problem(added, 404)
    assert_problem(await programme.sheet(session, {person: "unexcused"}, other), 404)
    completion = f"/v1/courses/{course['id']}/participants/{person}/completion"
    assert_problem(await programme.http.post(completion, json={}, headers=other), 404)
    language = {
        "beneficiary_id": str(person),
        "level": "A2",
        "test": "DELF",
        "assessed_on": days_ago(1),
    }
    assert_problem(await programme.http.post("/v1/assessments", json=language, headers=other), 403, "forbidden")
    on_course = {**language, "course_id": course["id"]}
    assert_problem(await programme.http.post("/v1/assessments", json=on_course, headers=other), 404)
    listed = await programme.http.get("/v1/courses", headers=other)
    assert listed.json()["items"] == []

    # nor opens a course for a cohort another provider trains
    taken = await programme.http.post(
        "/v1/courses",
        json={
            "step": 4,
            "cohort_id": course["cohort_id"],
            "provider_org_id": str(OTHER_SCHOOL),
            "starts_on": days_ago(0),
            "ends_on": days_ago(-90),
        },
        headers=other,
    )
    assert_problem(taken, 403, "forbidden")

    # and its own readers read but do not record
    reader = programme.as_school(Role.READER)
    assert (await programme.http.get(f"/v1/courses/{course['id']}", headers=reader)).status_code == 200
    assert_problem(await programme.sheet(session, {person: "excused"}, reader), 403, "forbidden")
    sheet = await programme.http.get(f"/v1/sessions/{session['id']}/attendance", headers=reader)
    assert [line["status"] for line in sheet.json()["entries"]] == ["present"]


async def test_the_operator_reads_every_providers_courses_and_people(programme: Programme) -> None:
    course, session, person = await a_course_in_progress(programme)
    theirs = await programme.course(cohort=await programme.cohort(size=1, provider=OTHER_SCHOOL), provider=OTHER_SCHOOL)
    operator = programme.as_operator(Role.READER)

    for path in reads(course, session, person):
        assert (await programme.http.get(path, headers=operator)).status_code == 200, path
    listed = await programme.http.get("/v1/courses", headers=operator)
    assert {c["id"] for c in listed.json()["items"]} == {course["id"], theirs["id"]}
    cohort = await programme.http.get(f"/v1/cohorts/{course['cohort_id']}/ledger", headers=operator)
    assert cohort.json()["courses"][0]["total"]["attended"] == "4.00"
    ledger = await programme.http.get(f"/v1/beneficiaries/{person}/ledger", headers=operator)
    assert [(entry["course_id"], entry["hours"]["attended"]) for entry in ledger.json()] == [(course["id"], "4.00")]

    reporting = programme.as_operator(Role.REPORTING)  # aggregates only: no course lists
    assert_problem(await programme.http.get("/v1/courses", headers=reporting), 403, "forbidden")
    assert_problem(await programme.http.get(f"/v1/courses/{course['id']}", headers=reporting), 404)


async def test_ofii_records_step_one_hours_and_assessments_and_nothing_of_later_steps(
    programme: Programme, database_url: str
) -> None:
    ofii = programme.as_ofii()
    newcomer = uuid.uuid4()
    await programme.start_step(newcomer, 1)
    language_school = uuid.uuid4()
    step_one = await programme.course(
        step=1, person=newcomer, provider=language_school, planned_hours="300", headers=ofii
    )
    session = await programme.session(step_one, days_ago(2), headers=ofii)
    recorded = await programme.sheet(session, {newcomer: ("present", "3.5")}, ofii)
    assert recorded.status_code == 200, recorded.text
    [event] = await outbox(database_url, RECORDED)
    assert (event["step"], event["entries"][0]["hours_attended"]) == (1, "3.50")
    ledger = await programme.http.get(f"/v1/beneficiaries/{newcomer}/ledger", headers=ofii)
    assert [(e["step"], e["hours"]["attended"], e["hours"]["remaining"]) for e in ledger.json()] == [
        (1, "3.50", "296.50")
    ]
    attested = await programme.http.post(
        "/v1/assessments",
        json={
            "beneficiary_id": str(newcomer),
            "course_id": step_one["id"],
            "level": "A1",
            "test": "DILF",
            "assessed_on": days_ago(1),
            "evidence_reference": "DILF-2026-00042",
        },
        headers=ofii,
    )
    assert attested.status_code == 201, attested.text
    assert [e["level"] for e in await outbox(database_url, ATTESTED)] == ["A1"]

    # later steps belong to the training providers
    course, later_session, person = await a_course_in_progress(programme)
    assert_problem(await programme.http.get(f"/v1/courses/{course['id']}", headers=ofii), 404)
    assert_problem(await programme.sheet(later_session, {person: "unexcused"}, ofii), 404)
    listed = await programme.http.get("/v1/courses", headers=ofii)
    assert [c["id"] for c in listed.json()["items"]] == [step_one["id"]]
    assert (await programme.http.get("/v1/courses?step=3", headers=ofii)).json()["items"] == []
    opened = await programme.http.post(
        "/v1/courses",
        json={
            "step": 4,
            "cohort_id": course["cohort_id"],
            "provider_org_id": str(SCHOOL),
            "starts_on": days_ago(0),
            "ends_on": days_ago(-90),
        },
        headers=ofii,
    )
    assert_problem(opened, 403, "forbidden")
    awarded = await programme.http.post(
        "/v1/qualifications",
        json={
            "beneficiary_id": str(person),
            "certification_name": "CAP Agent de propreté et d'hygiène",
            "rncp_code": "RNCP35019",
            "result": "awarded",
            "awarded_on": days_ago(1),
        },
        headers=ofii,
    )
    assert_problem(awarded, 403, "forbidden")


async def test_employers_are_refused(programme: Programme) -> None:
    course, session, person = await a_course_in_progress(programme)
    employer = programme.as_employer()

    for path in ("/v1/courses", "/v1/alerts"):
        assert_problem(await programme.http.get(path, headers=employer), 403, "forbidden")
    for path in reads(course, session, person):
        # a list is refused outright; a record is not even said to exist
        assert_problem(await programme.http.get(path, headers=employer), 403 if "alerts" in path else 404)
    opened = await programme.http.post(
        "/v1/courses",
        json={
            "step": 3,
            "beneficiary_id": str(uuid.uuid4()),
            "provider_org_id": str(SCHOOL),
            "starts_on": days_ago(0),
            "ends_on": days_ago(-90),
        },
        headers=employer,
    )
    assert_problem(opened, 403, "forbidden")
    assert_problem(await programme.sheet(session, {person: "unexcused"}, employer), 404)
