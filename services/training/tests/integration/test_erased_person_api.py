"""A person erased in enrolment, read in training: every per-person read is a 404 problem, as in the other
services, never a 200 with empty data that looks like someone with no training yet; nothing new is recorded."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from hope_contracts import enrolment
from hope_infra.testing import assert_problem

from .conftest import deliver, received
from .programme import Programme, days_ago

pytestmark = pytest.mark.integration


def person_reads(person: uuid.UUID, course_id: str) -> list[str]:
    return [
        f"/v1/beneficiaries/{person}/language",
        f"/v1/beneficiaries/{person}/qualifications",
        f"/v1/beneficiaries/{person}/ledger",
        f"/v1/courses/{course_id}/participants/{person}/ledger",
    ]


async def test_every_read_of_an_erased_person_is_not_found(programme: Programme) -> None:
    group = await programme.cohort(size=2, step=3)
    erased, kept = group.people
    course = await programme.course(cohort=group)
    school = programme.as_school()
    session = await programme.session(course, days_ago(2))
    assert (await programme.sheet(session, {erased: "present", kept: "present"}, school)).status_code == 200
    for person in group.people:
        body = {"beneficiary_id": str(person), "level": "A2", "test": "TCF", "assessed_on": days_ago(1)}
        assert (await programme.http.post("/v1/assessments", json=body, headers=school)).status_code == 201
    for url in person_reads(erased, course["id"]):
        assert (await programme.http.get(url, headers=programme.as_operator())).status_code == 200, url

    gone = enrolment.BeneficiaryErased(beneficiary_id=erased, occurred_at=datetime.now(UTC))
    assert await deliver(programme.database, received(gone))

    for url in person_reads(erased, course["id"]):
        for headers in (school, programme.as_operator()):
            assert_problem(await programme.http.get(url, headers=headers), 404, "beneficiary-not-found")
        assert_problem(await programme.http.get(url, headers=programme.as_ofii()), 404)
    # The other member is read as before.
    profile = await programme.http.get(f"/v1/beneficiaries/{kept}/language", headers=school)
    assert profile.status_code == 200, profile.text
    assert profile.json()["latest"]["overall"]["level"] == "A2"
    # Nothing new is kept about the erased person either.
    late = {"beneficiary_id": str(erased), "level": "B1", "test": "TCF", "assessed_on": days_ago(0)}
    for headers in (school, programme.as_operator()):
        refused = await programme.http.post("/v1/assessments", json=late, headers=headers)
        assert_problem(refused, 404, "beneficiary-not-found")
