"""Who may attach itself to whom: a provider opens courses only for the cohorts it trains or the people whose
individual path names it; assessments are in the caller's own name; an immigration office reads the training
records of the people it registered only; a cohort training does not know has no ledger."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from hope_contracts.vocabulary import OrgKind, Role

from .programme import OFII, OTHER_SCHOOL, SCHOOL, Programme, assert_problem, days_ago

pytestmark = pytest.mark.integration

OTHER_OFFICE = uuid.uuid4()


def course_body(step: int, provider: uuid.UUID, **target: Any) -> dict[str, Any]:
    return {
        "step": step,
        "provider_org_id": str(provider),
        "starts_on": days_ago(0),
        "ends_on": days_ago(-90),
        **{name: str(value) for name, value in target.items()},
    }


async def test_a_provider_opens_an_individual_course_only_for_a_person_whose_path_names_it(
    programme: Programme,
) -> None:
    person = await programme.individual(step=4, provider=SCHOOL)

    intruder = await programme.http.post(
        "/v1/courses",
        json=course_body(4, OTHER_SCHOOL, beneficiary_id=person),
        headers=programme.as_school(org=OTHER_SCHOOL),
    )
    assert_problem(intruder, 403, "forbidden")

    # the intruder did not take the person's place: their own provider still opens the course
    own = await programme.http.post(
        "/v1/courses", json=course_body(4, SCHOOL, beneficiary_id=person), headers=programme.as_school()
    )
    assert own.status_code == 201, own.text


async def test_a_person_training_has_never_heard_of_gets_no_course(programme: Programme) -> None:
    stranger = uuid.uuid4()

    answer = await programme.http.post(
        "/v1/courses", json=course_body(3, SCHOOL, beneficiary_id=stranger), headers=programme.as_school()
    )

    assert_problem(answer, 403, "forbidden")


async def test_a_course_for_a_cohort_training_does_not_know_is_422_for_everyone(programme: Programme) -> None:
    unknown = uuid.uuid4()
    for headers in (programme.as_school(), programme.as_operator()):
        answer = await programme.http.post(
            "/v1/courses", json=course_body(3, SCHOOL, cohort_id=unknown), headers=headers
        )
        problem = assert_problem(answer, 422)
        assert [error["field"] for error in problem["errors"]] == ["cohort_id"]


async def test_the_operator_cannot_give_a_cohort_s_course_to_another_provider(programme: Programme) -> None:
    group = await programme.cohort(size=1, provider=SCHOOL)

    answer = await programme.http.post(
        "/v1/courses", json=course_body(3, OTHER_SCHOOL, cohort_id=group.id), headers=programme.as_operator()
    )

    problem = assert_problem(answer, 422)
    assert [error["field"] for error in problem["errors"]] == ["provider_org_id"]


async def test_the_assessing_organisation_is_the_caller_s_own(programme: Programme) -> None:
    group = await programme.cohort(size=1)
    await programme.course(cohort=group)
    [person] = group.people
    assessment = {"beneficiary_id": str(person), "level": "A2", "test": "DELF", "assessed_on": days_ago(1)}

    recorded = await programme.http.post("/v1/assessments", json=assessment, headers=programme.as_school())
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["assessing_org_id"] == str(SCHOOL)

    in_another_name = {**assessment, "assessing_org_id": str(OTHER_SCHOOL)}
    refused = await programme.http.post("/v1/assessments", json=in_another_name, headers=programme.as_school())
    problem = assert_problem(refused, 422)
    assert [error["field"] for error in problem["errors"]] == ["assessing_org_id"]


async def test_an_immigration_office_reads_the_training_records_of_the_people_it_registered_only(
    programme: Programme,
) -> None:
    group = await programme.cohort(size=1)  # registered by OFII
    await programme.course(cohort=group)
    [person] = group.people
    paths = [
        f"/v1/beneficiaries/{person}/language",
        f"/v1/beneficiaries/{person}/qualifications",
        f"/v1/beneficiaries/{person}/ledger",
    ]

    for path in paths:
        own = await programme.http.get(path, headers=programme.as_ofii(Role.READER))
        assert own.status_code == 200, (path, own.text)
        other = await programme.http.get(path, headers=programme.as_(OrgKind.IMMIGRATION_OFFICE, OTHER_OFFICE))
        assert_problem(other, 404)


async def test_an_immigration_office_records_assessments_only_for_the_people_it_registered(
    programme: Programme,
) -> None:
    newcomer = uuid.uuid4()
    await programme.start_step(newcomer, 1)  # registered by OFII
    assessment = {"beneficiary_id": str(newcomer), "level": "A1", "test": "DILF", "assessed_on": days_ago(1)}

    other = await programme.http.post(
        "/v1/assessments", json=assessment, headers=programme.as_(OrgKind.IMMIGRATION_OFFICE, OTHER_OFFICE)
    )
    assert_problem(other, 403, "forbidden")
    own = await programme.http.post("/v1/assessments", json=assessment, headers=programme.as_ofii())
    assert own.status_code == 201, own.text
    assert own.json()["assessing_org_id"] == str(OFII)


async def test_a_missing_cohort_s_ledger_is_404(programme: Programme) -> None:
    answer = await programme.http.get(f"/v1/cohorts/{uuid.uuid4()}/ledger", headers=programme.as_operator())

    assert_problem(answer, 404)


async def test_a_cohort_s_ledger_is_404_to_a_provider_that_does_not_train_it(programme: Programme) -> None:
    group = await programme.cohort(size=1, provider=SCHOOL)
    await programme.course(cohort=group)

    theirs = await programme.http.get(f"/v1/cohorts/{group.id}/ledger", headers=programme.as_school())
    assert theirs.status_code == 200, theirs.text
    other = await programme.http.get(f"/v1/cohorts/{group.id}/ledger", headers=programme.as_school(org=OTHER_SCHOOL))
    assert_problem(other, 404)
