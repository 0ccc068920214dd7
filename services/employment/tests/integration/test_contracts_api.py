"""Work-study contracts (one running per person, concurrent signatures included) and immersions (capped at a
third of step 3's hours), with who may read and change them."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest

from hopekit.identity.principal import OrgKind, Role

from .programme import TODAY, Company, Person, Programme
from .support import assert_problem, outbox

pytestmark = pytest.mark.integration


async def test_a_contract_is_signed_started_and_broken_during_the_trial_and_each_step_is_published(
    programme: Programme, database_url: str
) -> None:
    company = await programme.company()
    person = await programme.person_in_step(4)
    contract = await programme.sign(company, person)
    assert contract["status"] == "signed"
    employer = programme.as_(OrgKind.EMPLOYER, company.org_id)
    url = f"/v1/contracts/{contract['id']}"
    too_early = await programme.client.post(f"{url}/start", json={"on": TODAY.isoformat()}, headers=employer)
    assert_problem(too_early, 400, "invalid-value")
    started = await programme.client.post(f"{url}/start", json={"on": contract["starts_on"]}, headers=employer)
    assert started.json()["status"] == "active"
    broken_on = (TODAY + timedelta(days=20)).isoformat()
    broken = await programme.client.post(
        f"{url}/break", json={"on": broken_on, "broken_by": "employee", "reason": "resignation"}, headers=employer
    )
    assert broken.status_code == 200, broken.text
    assert (broken.json()["status"], broken.json()["during_trial"]) == ("broken", True)
    assert_problem(await programme.client.post(f"{url}/complete", json={"on": broken_on}, headers=employer), 409)
    types = [e["type"].split(".")[-3:-1] for e in await outbox(database_url)]
    assert [t for t in types if t[0] == "contract"] == [
        ["contract", "signed"],
        ["contract", "started"],
        ["contract", "ended"],
    ]


async def test_a_second_running_contract_for_the_same_person_is_a_conflict_until_the_first_ends(
    programme: Programme,
) -> None:
    first, second = await programme.company(), await programme.company()
    person = await programme.person_in_step(4)
    contract = await programme.sign(first, person)
    again = await programme.client.post(
        "/v1/contracts",
        json=programme.contract_body(second, person),
        headers=programme.as_(OrgKind.EMPLOYER, second.org_id),
    )
    problem = assert_problem(again, 409, "active-contract-exists")
    assert problem["contract_id"] == contract["id"]
    await programme.client.post(
        f"/v1/contracts/{contract['id']}/break",
        json={"on": contract["starts_on"], "broken_by": "mutual", "reason": "mutual_agreement"},
        headers=programme.as_(OrgKind.EMPLOYER, first.org_id),
    )
    assert (await programme.sign(second, person))["status"] == "signed"


async def test_concurrent_signatures_for_one_person_leave_exactly_one_running_contract(programme: Programme) -> None:
    companies = [await programme.company() for _ in range(4)]
    person = await programme.person_in_step(4)
    answers = await asyncio.gather(
        *(
            programme.client.post(
                "/v1/contracts",
                json=programme.contract_body(company, person),
                headers=programme.as_(OrgKind.EMPLOYER, company.org_id),
            )
            for company in companies
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    listed = await programme.client.get("/v1/contracts", headers=programme.support)
    assert [c["status"] for c in listed.json()["items"]] == ["signed"]


async def test_a_contract_needs_the_person_in_step_3_or_4_and_valid_dates(programme: Programme) -> None:
    company = await programme.company()
    headers = programme.as_(OrgKind.EMPLOYER, company.org_id)
    early = Person(uuid.uuid4(), uuid.uuid4())
    assert_problem(
        await programme.client.post("/v1/contracts", json=programme.contract_body(company, early), headers=headers), 422
    )
    person = await programme.person_in_step(4)
    body = programme.contract_body(company, person, trial_ends_on=(TODAY - timedelta(days=1)).isoformat())
    assert (
        assert_problem(await programme.client.post("/v1/contracts", json=body, headers=headers), 400)["field"]
        == "trial_ends_on"
    )
    body = programme.contract_body(company, person, contract_type="freelance")
    assert_problem(await programme.client.post("/v1/contracts", json=body, headers=headers), 400, "unknown-code")
    body = programme.contract_body(company, person, hours_per_week="49")
    assert_problem(await programme.client.post("/v1/contracts", json=body, headers=headers), 422, "validation")


async def test_who_reads_and_who_changes_a_contract_for_every_kind_of_organisation(programme: Programme) -> None:
    company, other = await programme.company(), await programme.company()
    person = await programme.person_in_step(4)
    contract = await programme.sign(company, person)
    url = f"/v1/contracts/{contract['id']}"
    readers: dict[str, dict[str, str]] = {
        "operator": programme.operator,
        "employer": programme.as_(OrgKind.EMPLOYER, company.org_id),
        "support provider": programme.support,
        "step-4 training provider": programme.trainer,
    }
    for name, headers in readers.items():
        assert (await programme.client.get(url, headers=headers)).status_code == 200, name
    strangers: dict[str, dict[str, str]] = {
        "another employer": programme.as_(OrgKind.EMPLOYER, other.org_id),
        "another support provider": programme.as_(OrgKind.SUPPORT_PROVIDER),
        "another training provider": programme.as_(OrgKind.TRAINING_PROVIDER),
        "France Travail": programme.as_(OrgKind.PUBLIC_EMPLOYMENT),
        "the immigration office": programme.as_(OrgKind.IMMIGRATION_OFFICE),
    }
    for name, headers in strangers.items():
        assert_problem(await programme.client.get(url, headers=headers), 404), name
    start = {"on": contract["starts_on"]}
    for name, headers in {"support provider": programme.support, "training provider": programme.trainer}.items():
        assert_problem(await programme.client.post(f"{url}/start", json=start, headers=headers), 403), name
    reader = programme.as_(OrgKind.EMPLOYER, company.org_id, Role.READER)
    assert_problem(await programme.client.post(f"{url}/start", json=start, headers=reader), 403)
    assert [
        c["id"] for c in (await programme.client.get("/v1/contracts", headers=programme.trainer)).json()["items"]
    ] == [contract["id"]]
    theirs = await programme.client.get("/v1/contracts", headers=programme.as_(OrgKind.EMPLOYER, other.org_id))
    assert theirs.json()["items"] == []


def placement_body(company: Company, person: Person, days: int, hours: str, offset: int = 0) -> dict[str, Any]:
    start = TODAY + timedelta(days=offset)
    return {
        "employer_id": str(company.employer_id),
        "establishment_id": str(company.establishment_id),
        "beneficiary_id": str(person.beneficiary_id),
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=days - 1)).isoformat(),
        "hours": hours,
    }


async def test_immersions_stop_at_a_third_of_step_3s_hours_and_the_refusal_gives_the_figures(
    programme: Programme, database_url: str
) -> None:
    company = await programme.company()
    person = await programme.person_in_step(3)
    first = await programme.client.post(
        "/v1/placements", json=placement_body(company, person, 10, "70.00"), headers=programme.support
    )
    assert first.status_code == 201, first.text
    second = await programme.client.post(
        "/v1/placements", json=placement_body(company, person, 10, "63.33", offset=20), headers=programme.operator
    )
    assert second.status_code == 201, second.text
    over = await programme.client.post(
        "/v1/placements", json=placement_body(company, person, 1, "0.01", offset=40), headers=programme.support
    )
    problem = assert_problem(over, 422, "immersion-cap-exceeded")
    assert (problem["cap_hours"], problem["already_hours"], problem["requested_hours"]) == ("133.33", "133.33", "0.01")
    seen = await programme.client.get(
        f"/v1/people/{person.beneficiary_id}/placements", headers=programme.as_(OrgKind.EMPLOYER, company.org_id)
    )
    assert [p["hours"] for p in seen.json()] == ["70.00", "63.33"]
    assert len([e for e in await outbox(database_url) if e["type"].endswith("placement.made.v1")]) == 2


async def test_concurrent_immersions_cannot_together_pass_the_cap(programme: Programme) -> None:
    company = await programme.company()
    person = await programme.person_in_step(3)
    answers = await asyncio.gather(
        *(
            programme.client.post(
                "/v1/placements",
                json=placement_body(company, person, 10, "80.00", offset=20 * i),
                headers=programme.support,
            )
            for i in range(3)
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 422, 422], [a.text for a in answers]


async def test_an_immersion_is_for_step_3_and_hosted_only_by_its_own_employer(programme: Programme) -> None:
    company, other = await programme.company(), await programme.company()
    in_step_4 = await programme.person_in_step(4)
    late = await programme.client.post(
        "/v1/placements", json=placement_body(company, in_step_4, 2, "14"), headers=programme.support
    )
    assert_problem(late, 422, "rule-not-met")
    person = await programme.person_in_step(3)
    foreign = await programme.client.post(
        "/v1/placements",
        json=placement_body(company, person, 2, "14"),
        headers=programme.as_(OrgKind.EMPLOYER, other.org_id),
    )
    assert_problem(foreign, 404)
    too_long = await programme.client.post(
        "/v1/placements", json=placement_body(company, person, 1, "11"), headers=programme.support
    )
    assert assert_problem(too_long, 400, "invalid-value")["field"] == "hours"
