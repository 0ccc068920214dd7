"""Vacancies and applications: published by the employer, people proposed by their support provider, decided
by the employer; a hire fills the vacancy and makes the person's other open applications obsolete."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from hopekit.identity.principal import OrgKind

from .programme import TODAY, Company, Programme
from .support import assert_problem, outbox

pytestmark = pytest.mark.integration


def vacancy_body(company: Company, **changes: Any) -> dict[str, Any]:
    return {
        "employer_id": str(company.employer_id),
        "establishment_id": str(company.establishment_id),
        "rome_code": "N1103",
        "sector_code": "logistics",
        "positions": 1,
        "hours_per_week": "35.00",
        "starts_on": (TODAY + timedelta(days=20)).isoformat(),
        "contract_type": "apprenticeship",
        **changes,
    }


async def publish(programme: Programme, company: Company, **changes: Any) -> dict[str, Any]:
    made = await programme.client.post(
        "/v1/vacancies", json=vacancy_body(company, **changes), headers=programme.as_(OrgKind.EMPLOYER, company.org_id)
    )
    assert made.status_code == 201, made.text
    result: dict[str, Any] = made.json()
    return result


async def test_a_hire_fills_the_vacancy_and_makes_the_persons_other_applications_obsolete(
    programme: Programme, database_url: str
) -> None:
    first, second = await programme.company(), await programme.company()
    person = await programme.person_in_step(3)
    job, other_job = await publish(programme, first), await publish(programme, second)
    applications = []
    for vacancy in (job, other_job):
        proposed = await programme.client.post(
            f"/v1/vacancies/{vacancy['id']}/applications",
            json={"beneficiary_id": str(person.beneficiary_id)},
            headers=programme.support,
        )
        assert proposed.status_code == 201, proposed.text
        applications.append(proposed.json())
    employer = programme.as_(OrgKind.EMPLOYER, first.org_id)
    mine = applications[0]["id"]
    early = await programme.client.post(f"/v1/applications/{mine}/hire", headers=employer)
    assert_problem(early, 409, "illegal-transition")
    assert (await programme.client.post(f"/v1/applications/{mine}/interview", headers=employer)).status_code == 200
    hired = await programme.client.post(f"/v1/applications/{mine}/hire", headers=employer)
    assert hired.json()["status"] == "accepted"
    filled = await programme.client.get(f"/v1/vacancies/{job['id']}", headers=employer)
    assert (filled.json()["status"], filled.json()["hired"]) == ("filled", 1)
    other = await programme.client.get(
        f"/v1/applications/{applications[1]['id']}", headers=programme.as_(OrgKind.EMPLOYER, second.org_id)
    )
    assert other.json()["status"] == "obsolete"
    decided = [e for e in await outbox(database_url) if e["type"].endswith("application.decided.v1")]
    assert sorted(e["status"] for e in decided) == ["accepted", "obsolete"]
    assert any(e["type"].endswith("vacancy.status_changed.v1") for e in await outbox(database_url))


async def test_a_refusal_names_its_reason_code_and_a_refused_application_cannot_be_hired(programme: Programme) -> None:
    company = await programme.company()
    person = await programme.person_in_step(3)
    job = await publish(programme, company, positions=2)
    proposed = await programme.client.post(
        f"/v1/vacancies/{job['id']}/applications",
        json={"beneficiary_id": str(person.beneficiary_id)},
        headers=programme.operator,
    )
    application = proposed.json()["id"]
    employer = programme.as_(OrgKind.EMPLOYER, company.org_id)
    bad = await programme.client.post(
        f"/v1/applications/{application}/refuse", json={"reason": "too_old"}, headers=employer
    )
    assert_problem(bad, 400, "unknown-code")
    refused = await programme.client.post(
        f"/v1/applications/{application}/refuse", json={"reason": "no_show"}, headers=employer
    )
    assert (refused.json()["status"], refused.json()["refusal_reason"]) == ("refused", "no_show")
    assert_problem(await programme.client.post(f"/v1/applications/{application}/interview", headers=employer), 409)


async def test_a_person_is_proposed_once_per_vacancy_and_only_while_on_the_path(programme: Programme) -> None:
    company = await programme.company()
    person = await programme.person_in_step(3)
    job = await publish(programme, company, positions=3)
    url = f"/v1/vacancies/{job['id']}/applications"
    body = {"beneficiary_id": str(person.beneficiary_id)}
    assert (await programme.client.post(url, json=body, headers=programme.support)).status_code == 201
    assert_problem(await programme.client.post(url, json=body, headers=programme.support), 409)
    left = await programme.person_in_step(3)
    await programme.withdraw(left)
    gone = await programme.client.post(
        url, json={"beneficiary_id": str(left.beneficiary_id)}, headers=programme.support
    )
    assert_problem(gone, 422, "rule-not-met")
    stranger = await programme.client.post(url, json={"beneficiary_id": str(uuid.uuid4())}, headers=programme.support)
    assert_problem(stranger, 404)
    unknown = await programme.client.post(url, json={"beneficiary_id": str(uuid.uuid4())}, headers=programme.operator)
    assert_problem(unknown, 422, "person-not-on-path")


async def test_a_withdrawal_from_the_programme_withdraws_the_persons_open_applications(
    programme: Programme, database_url: str
) -> None:
    company = await programme.company()
    person = await programme.person_in_step(3)
    job = await publish(programme, company)
    proposed = await programme.client.post(
        f"/v1/vacancies/{job['id']}/applications",
        json={"beneficiary_id": str(person.beneficiary_id)},
        headers=programme.support,
    )
    await programme.withdraw(person)
    read = await programme.client.get(
        f"/v1/applications/{proposed.json()['id']}", headers=programme.as_(OrgKind.EMPLOYER, company.org_id)
    )
    assert read.json()["status"] == "withdrawn"
    decided = [e for e in await outbox(database_url) if e["type"].endswith("application.decided.v1")]
    assert [e["status"] for e in decided] == ["withdrawn"]


async def test_an_employer_publishes_only_at_its_own_establishments_and_sees_only_its_vacancies(
    programme: Programme,
) -> None:
    mine, theirs = await programme.company(), await programme.company()
    headers = programme.as_(OrgKind.EMPLOYER, mine.org_id)
    at_theirs = vacancy_body(mine, establishment_id=str(theirs.establishment_id))
    assert_problem(await programme.client.post("/v1/vacancies", json=at_theirs, headers=headers), 403)
    for_them = vacancy_body(theirs)
    assert_problem(await programme.client.post("/v1/vacancies", json=for_them, headers=headers), 404)
    their_job = await publish(programme, theirs)
    own_job = await publish(programme, mine)
    assert_problem(await programme.client.get(f"/v1/vacancies/{their_job['id']}", headers=headers), 404)
    listed = await programme.client.get("/v1/vacancies", headers=headers)
    assert [v["id"] for v in listed.json()["items"]] == [own_job["id"]]
    assert_problem(await programme.client.post(f"/v1/vacancies/{their_job['id']}/close", headers=headers), 404)
    closed = await programme.client.post(f"/v1/vacancies/{own_job['id']}/close", headers=headers)
    assert closed.json()["status"] == "closed"
    assert_problem(await programme.client.post(f"/v1/vacancies/{own_job['id']}/close", headers=headers), 409)
    # A support provider sees the open vacancies (to propose people) and cannot close them.
    open_ones = await programme.client.get("/v1/vacancies", headers=programme.support)
    assert their_job["id"] in [v["id"] for v in open_ones.json()["items"]]
    assert own_job["id"] not in [v["id"] for v in open_ones.json()["items"]]
    assert_problem(
        await programme.client.post(f"/v1/vacancies/{their_job['id']}/close", headers=programme.support), 403
    )
    assert_problem(await programme.client.get("/v1/vacancies", headers=programme.trainer), 403)
