"""Language assessments and qualifications over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import assert_problem

from .programme import ATTESTED, AWARDED, Programme, days_ago, outbox

pytestmark = pytest.mark.integration


def assessment(person: uuid.UUID, level: str, test: str, assessed_on: str, **fields: Any) -> dict[str, Any]:
    return {
        "beneficiary_id": str(person),
        "level": level,
        "test": test,
        "assessed_on": assessed_on,
        **fields,
    }


def qualification(person: uuid.UUID, **fields: Any) -> dict[str, Any]:
    return {
        "beneficiary_id": str(person),
        "certification_name": "Titre professionnel Agent magasinier",
        "rncp_code": "RNCP38413",
        "result": "awarded",
        "awarded_on": days_ago(5),
        **fields,
    }


async def test_assessments_give_the_latest_level_per_skill_and_the_progression(
    programme: Programme, database_url: str
) -> None:
    group = await programme.cohort(size=1)
    course = await programme.course(cohort=group)
    [person] = group.people
    school = programme.as_school()
    recorded = [
        (school, assessment(person, "A1", "DILF", days_ago(200), course_id=course["id"])),
        (school, assessment(person, "B1", "internal", days_ago(10), skill="speaking")),
        (school, assessment(person, "A2", "TCF", days_ago(30), evidence_reference="TCF-2026-118")),
        # recorded last, assessed first: OFII's entry test
        (programme.as_ofii(), assessment(person, "pre_A1", "internal", days_ago(300))),
    ]
    for headers, body in recorded:
        response = await programme.http.post("/v1/assessments", json=body, headers=headers)
        assert response.status_code == 201, response.text
        assert response.json()["level"] == body["level"]
        assert response.json()["skill"] == body.get("skill", "overall")

    profile = await programme.http.get(f"/v1/beneficiaries/{person}/language", headers=school)
    assert profile.status_code == 200, profile.text
    latest = profile.json()["latest"]
    assert {skill: found["level"] for skill, found in latest.items()} == {"overall": "A2", "speaking": "B1"}
    assert latest["overall"]["evidence_reference"] == "TCF-2026-118"
    assert [found["level"] for found in profile.json()["progression"]] == ["pre_A1", "A1", "A2", "B1"]

    events = await outbox(database_url, ATTESTED)
    assert sorted(event["level"] for event in events) == ["A1", "A2", "B1", "pre_A1"]
    assert all(event["beneficiary_id"] == str(person) for event in events)
    assert not any("evidence_reference" in event for event in events)  # a free-text reference stays here


@pytest.mark.parametrize("kind", [OrgKind.EMPLOYER, OrgKind.SUPPORT_PROVIDER, OrgKind.PUBLIC_EMPLOYMENT])
async def test_an_organisation_of_the_wrong_kind_may_not_record_an_assessment(
    programme: Programme, database_url: str, kind: OrgKind
) -> None:
    group = await programme.cohort(size=1)
    await programme.course(cohort=group)
    body = assessment(group.people[0], "A2", "DELF", days_ago(3))

    refused = await programme.http.post("/v1/assessments", json=body, headers=programme.as_(kind, uuid.uuid4()))

    assert_problem(refused, 403, "forbidden")
    reader = await programme.http.post("/v1/assessments", json=body, headers=programme.as_school(Role.READER))
    assert_problem(reader, 403, "forbidden")
    assert await outbox(database_url, ATTESTED) == []


async def test_an_assessment_needs_a_known_level_and_test(programme: Programme) -> None:
    person = (await programme.cohort(size=1)).people[0]
    for change, field in (({"level": "A3"}, "level"), ({"test": "TOEFL"}, "test"), ({"skill": "dancing"}, "skill")):
        body = {**assessment(person, "A1", "DILF", days_ago(1)), **change}
        response = await programme.http.post("/v1/assessments", json=body, headers=programme.as_operator())
        problem = assert_problem(response, 422, "validation")
        assert [error["field"] for error in problem["errors"]] == [field]


async def test_a_qualification_is_recorded_listed_and_published(programme: Programme, database_url: str) -> None:
    group = await programme.cohort(size=1, step=4)
    course = await programme.course(step=4, cohort=group)
    [person] = group.people
    school = programme.as_school()

    first = await programme.http.post(
        "/v1/qualifications",
        json=qualification(person, course_id=course["id"], result="partially_awarded", awarded_on=days_ago(40)),
        headers=school,
    )
    second = await programme.http.post("/v1/qualifications", json=qualification(person), headers=school)

    assert first.status_code == second.status_code == 201, first.text
    assert (first.json()["course_id"], first.json()["result"]) == (course["id"], "partially_awarded")
    listed = await programme.http.get(f"/v1/beneficiaries/{person}/qualifications", headers=programme.as_operator())
    assert listed.status_code == 200
    assert [(q["id"], q["rncp_code"]) for q in listed.json()] == [
        (first.json()["id"], "RNCP38413"),
        (second.json()["id"], "RNCP38413"),
    ]
    events = await outbox(database_url, AWARDED)
    assert [(e["qualification_id"], e["result"]) for e in events] == [
        (first.json()["id"], "partially_awarded"),
        (second.json()["id"], "awarded"),
    ]
    assert "certification_name" not in events[0]


@pytest.mark.parametrize("code", ["38413", "RNCP", "rncp38413", "RNCP 38413", "RNCP1234567", "RS5678"])
async def test_a_qualification_needs_an_rncp_code(programme: Programme, database_url: str, code: str) -> None:
    person = (await programme.cohort(size=1, step=4)).people[0]

    response = await programme.http.post(
        "/v1/qualifications", json=qualification(person, rncp_code=code), headers=programme.as_operator()
    )

    problem = assert_problem(response, 422, "validation")
    assert [error["field"] for error in problem["errors"]] == ["rncp_code"]
    assert await outbox(database_url, AWARDED) == []
