"""Issue 16, "Access", through the API: for every resource, what each kind of organisation gets. The employer
(its own side and its own staff), the programme operator (everything), the support provider (its people's
contracts, immersions, outcomes and follow-ups), France Travail (follow-ups after exit of people who consented),
the training provider (its step-4 trainees' contracts, its step-3 trainees' immersions) and an organisation
with no business here (the immigration office). What one may not see is a 404 (its id is not confirmed); a
list shows only what one may see, or is a 403 for a kind that has no such list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from hope_contracts import enrolment
from hopekit.identity.principal import OrgKind, Role

from .programme import NOW, TODAY, Company, Person, Programme

pytestmark = pytest.mark.integration

# Who calls: the organisations of the world below, and their look-alikes of the same kind.
CALLERS = (
    "operator",
    "employer",
    "other employer",
    "support provider",
    "other support provider",
    "training provider",
    "other training provider",
    "France Travail",
    "immigration office",
)


@dataclass
class World:
    """One employer with a vacancy, an application, a work-study contract and an immersion; a person who left
    with an outcome, follow-ups and consent to data sharing."""

    company: Company
    other: Company
    vacancy: str
    application: str
    contract: str
    trainee_in_step_3: str
    leaver: str
    follow_up: str


def vacancy_body(company: Company) -> dict[str, Any]:
    return {
        "employer_id": str(company.employer_id),
        "establishment_id": str(company.establishment_id),
        "rome_code": "N1103",
        "sector_code": "logistics",
        "positions": 2,
        "hours_per_week": "35.00",
        "starts_on": (TODAY + timedelta(days=20)).isoformat(),
        "contract_type": "apprenticeship",
    }


def placement_body(company: Company, person: Person) -> dict[str, Any]:
    return {
        "employer_id": str(company.employer_id),
        "establishment_id": str(company.establishment_id),
        "beneficiary_id": str(person.beneficiary_id),
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + timedelta(days=4)).isoformat(),
        "hours": "35",
    }


async def build(programme: Programme) -> World:
    company, other = await programme.company(), await programme.company()
    employer = programme.as_(OrgKind.EMPLOYER, company.org_id)
    in_step_4, in_step_3, leaver = [await programme.person_in_step(step) for step in (4, 3, 4)]
    vacancy = await programme.client.post("/v1/vacancies", json=vacancy_body(company), headers=employer)
    assert vacancy.status_code == 201, vacancy.text
    application = await programme.client.post(
        f"/v1/vacancies/{vacancy.json()['id']}/applications",
        json={"beneficiary_id": str(in_step_4.beneficiary_id)},
        headers=programme.support,
    )
    assert application.status_code == 201, application.text
    contract = await programme.sign(company, in_step_4)
    placement = await programme.client.post(
        "/v1/placements", json=placement_body(company, in_step_3), headers=programme.support
    )
    assert placement.status_code == 201, placement.text
    await programme.withdraw(leaver, "employment_found", last_step=4)
    outcome = await programme.record_outcome(leaver, TODAY - timedelta(days=120))
    assert outcome.status_code == 201, outcome.text
    await programme.deliver(
        enrolment.ConsentChanged(
            beneficiary_id=leaver.beneficiary_id, purpose="data_sharing_with_partners", given=True, occurred_at=NOW
        )
    )
    return World(
        company=company,
        other=other,
        vacancy=vacancy.json()["id"],
        application=application.json()["id"],
        contract=contract["id"],
        trainee_in_step_3=str(in_step_3.beneficiary_id),
        leaver=str(leaver.beneficiary_id),
        follow_up=outcome.json()["follow_ups"][0]["id"],
    )


def headers_of(programme: Programme, world: World, caller: str, role: Role) -> dict[str, str]:
    kind, org = {
        "operator": (OrgKind.PROGRAMME_OPERATOR, None),
        "employer": (OrgKind.EMPLOYER, world.company.org_id),
        "other employer": (OrgKind.EMPLOYER, world.other.org_id),
        "support provider": (OrgKind.SUPPORT_PROVIDER, programme.support_org),
        "other support provider": (OrgKind.SUPPORT_PROVIDER, None),
        "training provider": (OrgKind.TRAINING_PROVIDER, programme.training_org),
        "other training provider": (OrgKind.TRAINING_PROVIDER, None),
        "France Travail": (OrgKind.PUBLIC_EMPLOYMENT, None),
        "immigration office": (OrgKind.IMMIGRATION_OFFICE, None),
    }[caller]
    return programme.as_(kind, org, role)


def answer(response: Any) -> str:
    """The status, and for a list the number of items shown."""
    body = response.json()
    items = body.get("items") if isinstance(body, dict) else body
    return f"{response.status_code}/{len(items)}" if isinstance(items, list) else str(response.status_code)


# Read with the reader role. Columns in the order of CALLERS.
READS = {
    # operator, employer, other employer, support, other support, trainer, other trainer, France Travail, OFII
    "employer": ("200", "200", "404", "404", "404", "404", "404", "404", "404"),
    "hr contact": ("200", "200", "404", "404", "404", "404", "404", "404", "404"),
    # Support providers read open vacancies: they propose people for them.
    "vacancy": ("200", "200", "404", "200", "200", "404", "404", "404", "404"),
    "vacancies": ("200/1", "200/1", "200/0", "200/1", "200/1", "403", "403", "403", "403"),
    "application": ("200", "200", "404", "200", "404", "404", "404", "404", "404"),
    "applications": ("200/1", "200/1", "200/0", "403", "403", "403", "403", "403", "403"),
    "contract": ("200", "200", "404", "200", "404", "200", "404", "404", "404"),
    "contracts": ("200/1", "200/1", "200/0", "200/1", "200/0", "200/1", "200/0", "403", "403"),
    "immersions": ("200/1", "200/1", "404", "200/1", "404", "200/1", "404", "404", "404"),
    "outcome": ("200", "404", "404", "200", "404", "404", "404", "404", "404"),
    "pending outcomes": ("200/1", "403", "403", "200/1", "200/0", "403", "403", "403", "403"),
    "follow-up": ("200", "404", "404", "200", "404", "404", "404", "200", "404"),
    "follow-ups": ("200/3", "403", "403", "200/3", "200/0", "403", "403", "200/3", "403"),
    "follow-up summary": ("200/3", "403", "403", "200/3", "200/0", "403", "403", "200/3", "403"),
    # Aggregates only (pledged places, open positions): anyone with a reading role.
    "demand": ("200/1", "200/1", "200/1", "200/1", "200/1", "200/1", "200/1", "200/1", "200/1"),
}


async def test_every_kind_of_organisation_reads_exactly_what_the_issue_gives_it(programme: Programme) -> None:
    world = await build(programme)
    urls = {
        "employer": f"/v1/employers/{world.company.employer_id}",
        "hr contact": f"/v1/employers/{world.company.employer_id}/hr-contact?reason=matching",
        "vacancy": f"/v1/vacancies/{world.vacancy}",
        "vacancies": "/v1/vacancies",
        "application": f"/v1/applications/{world.application}",
        "applications": "/v1/applications",
        "contract": f"/v1/contracts/{world.contract}",
        "contracts": "/v1/contracts",
        "immersions": f"/v1/people/{world.trainee_in_step_3}/placements",
        "outcome": f"/v1/outcomes/{world.leaver}",
        "pending outcomes": "/v1/outcomes/pending",
        "follow-up": f"/v1/follow-ups/{world.follow_up}",
        "follow-ups": "/v1/follow-ups",
        "follow-up summary": "/v1/follow-ups/summary",
        "demand": "/v1/demand",
    }
    seen = {
        resource: tuple(
            [
                answer(await programme.client.get(url, headers=headers_of(programme, world, caller, Role.READER)))
                for caller in CALLERS
            ]
        )
        for resource, url in urls.items()
    }
    assert seen == READS


# Written with the writer role, each caller on things of its own (a person, a vacancy, an application), so that
# no answer depends on another caller's write. 404: the caller may not see the thing; 403: it sees it, may not
# change it.
WRITES = {
    # operator, employer, other employer, support, other support, trainer, other trainer, France Travail, OFII
    "add an establishment": ("201", "201", "404", "404", "404", "404", "404", "404", "404"),
    "pledge places": ("201", "201", "404", "404", "404", "404", "404", "404", "404"),
    "replace the hr contact": ("200", "200", "404", "404", "404", "404", "404", "404", "404"),
    "publish a vacancy": ("201", "201", "404", "404", "404", "404", "404", "404", "404"),
    "propose a person": ("201", "404", "404", "201", "404", "404", "404", "404", "404"),
    "invite to interview": ("200", "200", "404", "403", "404", "404", "404", "404", "404"),
    "close a vacancy": ("200", "200", "404", "403", "403", "404", "404", "404", "404"),
    "sign a contract": ("201", "201", "404", "404", "404", "404", "404", "404", "404"),
    "place in immersion": ("201", "201", "404", "201", "404", "201", "404", "404", "404"),
    "record an outcome": ("201", "404", "404", "201", "404", "404", "404", "404", "404"),
    "attempt a follow-up": ("201", "404", "404", "201", "404", "404", "404", "201", "404"),
}


async def test_every_kind_of_organisation_changes_exactly_what_the_issue_gives_it(programme: Programme) -> None:
    world = await build(programme)
    employer = f"/v1/employers/{world.company.employer_id}"
    pledge = {"sector_code": "logistics", "region_code": "11", "places": 2, "starts_on": TODAY.isoformat()}
    pledge["ends_on"] = (TODAY + timedelta(days=200)).isoformat()
    done: dict[str, list[str]] = {action: [] for action in WRITES}
    for caller in CALLERS:
        headers = headers_of(programme, world, caller, Role.WRITER)
        in_step_4, in_step_3, leaver = [await programme.person_in_step(step) for step in (4, 3, 4)]
        await programme.withdraw(leaver, "employment_found", last_step=4)
        vacancy = (
            await programme.client.post("/v1/vacancies", json=vacancy_body(world.company), headers=programme.operator)
        ).json()["id"]
        application = (
            await programme.client.post(
                f"/v1/vacancies/{vacancy}/applications",
                json={"beneficiary_id": str(in_step_3.beneficiary_id)},
                headers=programme.operator,
            )
        ).json()["id"]
        post = programme.client.post
        answers = {
            "add an establishment": await post(
                f"{employer}/establishments", json={"commune_code": "75056"}, headers=headers
            ),
            "pledge places": await post(f"{employer}/pledges", json=pledge, headers=headers),
            "replace the hr contact": await programme.client.put(
                f"{employer}/hr-contact", json={"full_name": "Léa Roux", "email": "rh@durand.example"}, headers=headers
            ),
            "publish a vacancy": await post("/v1/vacancies", json=vacancy_body(world.company), headers=headers),
            "propose a person": await post(
                f"/v1/vacancies/{vacancy}/applications",
                json={"beneficiary_id": str(in_step_4.beneficiary_id)},
                headers=headers,
            ),
            "invite to interview": await post(f"/v1/applications/{application}/interview", headers=headers),
            "close a vacancy": await post(f"/v1/vacancies/{vacancy}/close", headers=headers),
            "sign a contract": await post(
                "/v1/contracts", json=programme.contract_body(world.company, in_step_4), headers=headers
            ),
            "place in immersion": await post(
                "/v1/placements", json=placement_body(world.company, in_step_3), headers=headers
            ),
            "record an outcome": await programme.record_outcome(leaver, TODAY, headers=headers),
            "attempt a follow-up": await post(f"/v1/follow-ups/{world.follow_up}/attempts", headers=headers),
        }
        for action, response in answers.items():
            done[action].append(str(response.status_code))
    assert {action: tuple(statuses) for action, statuses in done.items()} == WRITES
