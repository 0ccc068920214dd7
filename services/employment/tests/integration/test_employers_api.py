"""Employers: registration by the operator or by the employer organisation itself, establishments, pledges,
the HR contact (audited on every read, erasable) and the demand by sector and region."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from employment_service.adapters.tables import kit
from hopekit.identity.principal import OrgKind, Role

from .programme import TODAY, Programme, new_siret
from .support import assert_problem, outbox

pytestmark = pytest.mark.integration


def employer_body(siret: str | None = None, **changes: object) -> dict[str, object]:
    return {
        "siret": siret or new_siret(),
        "name": "  Boulangerie   Petit  ",
        "naf_code": "1071C",
        "akto_member": False,
        "sector_codes": ["hospitality_catering"],
        **changes,
    }


async def test_an_employer_organisation_registers_itself_and_the_event_names_no_siren_nor_name(
    programme: Programme, database_url: str
) -> None:
    org = uuid.uuid4()
    siret = new_siret()
    created = await programme.client.post(
        "/v1/employers", json=employer_body(siret[:3] + " " + siret[3:]), headers=programme.as_(OrgKind.EMPLOYER, org)
    )
    assert created.status_code == 201, created.text
    employer = created.json()
    assert (employer["siret"], employer["siren"], employer["org_id"]) == (siret, siret[:9], str(org))
    assert (employer["name"], employer["naf_code"]) == ("Boulangerie Petit", "10.71C")
    [event] = [e for e in await outbox(database_url) if e["type"].endswith("employer.registered.v1")]
    assert event["employer_id"] == employer["id"]
    assert siret[:9] not in str(event)
    assert "Boulangerie" not in str(event)


async def test_a_known_siret_is_a_conflict_and_an_organisation_registers_only_one_employer(
    programme: Programme,
) -> None:
    siret, org = new_siret(), uuid.uuid4()
    headers = programme.as_(OrgKind.EMPLOYER, org)
    assert (await programme.client.post("/v1/employers", json=employer_body(siret), headers=headers)).status_code == 201
    again = await programme.client.post("/v1/employers", json=employer_body(siret), headers=programme.operator)
    assert_problem(again, 409, "siret-known")
    second = await programme.client.post("/v1/employers", json=employer_body(), headers=headers)
    assert_problem(second, 409, "organisation-already-linked")


async def test_only_the_operator_and_employers_register_employers(programme: Programme) -> None:
    for kind in (OrgKind.SUPPORT_PROVIDER, OrgKind.TRAINING_PROVIDER, OrgKind.PUBLIC_EMPLOYMENT):
        refused = await programme.client.post("/v1/employers", json=employer_body(), headers=programme.as_(kind))
        assert_problem(refused, 403)
    reader = programme.as_(OrgKind.PROGRAMME_OPERATOR, role=Role.READER)
    assert_problem(await programme.client.post("/v1/employers", json=employer_body(), headers=reader), 403)


async def test_an_employer_sees_its_own_record_and_not_another_employers(programme: Programme) -> None:
    mine, theirs = await programme.company(), await programme.company()
    own = programme.as_(OrgKind.EMPLOYER, mine.org_id, Role.READER)
    read = await programme.client.get(f"/v1/employers/{mine.employer_id}", headers=own)
    assert read.status_code == 200
    assert [e["id"] for e in read.json()["establishments"]] == [str(mine.establishment_id)]
    assert_problem(await programme.client.get(f"/v1/employers/{theirs.employer_id}", headers=own), 404)
    listed = await programme.client.get("/v1/employers", headers=own)
    assert [e["id"] for e in listed.json()["items"]] == [str(mine.employer_id)]
    added = await programme.client.post(
        f"/v1/employers/{theirs.employer_id}/establishments",
        json={"commune_code": "69123"},
        headers=programme.as_(OrgKind.EMPLOYER, mine.org_id),
    )
    assert_problem(added, 404)
    everyone = await programme.client.get("/v1/employers", headers=programme.operator)
    assert {str(mine.employer_id), str(theirs.employer_id)} <= {e["id"] for e in everyone.json()["items"]}


async def test_an_establishment_is_placed_in_its_department_and_region_from_its_commune(programme: Programme) -> None:
    company = await programme.company(commune="2A004")
    employer = (await programme.client.get(f"/v1/employers/{company.employer_id}", headers=programme.operator)).json()
    [site] = employer["establishments"]
    assert (site["department_code"], site["region_code"]) == ("2A", "94")


async def test_every_read_of_the_hr_contact_is_audited_with_its_reason_and_erasure_forgets_it(
    programme: Programme, database_url: str
) -> None:
    company = await programme.company()
    headers = programme.as_(OrgKind.EMPLOYER, company.org_id)
    path = f"/v1/employers/{company.employer_id}/hr-contact"
    read = await programme.client.get(path, params={"reason": "arrange_interview"}, headers=headers)
    assert read.status_code == 200
    assert read.json() == {"full_name": "Claire Martin", "email": "claire.martin@durand.example", "phone": "0123456789"}
    assert_problem(await programme.client.get(path, headers=headers), 422)  # a read needs its reason
    replaced = await programme.client.put(
        path, json={"full_name": "Paul Leroy", "email": "p.leroy@durand.example"}, headers=headers
    )
    assert replaced.json()["full_name"] == "Paul Leroy"
    assert (await programme.client.delete(path, headers=headers)).status_code == 204
    assert_problem(await programme.client.get(path, params={"reason": "audit_check"}, headers=programme.operator), 404)
    assert_problem(await programme.client.delete(path, headers=headers), 404)
    async with programme.database.engine.connect() as connection:
        rows = (
            await connection.execute(
                select(kit.audit.c.action, kit.audit.c.reason)
                .where(kit.audit.c.object_type == "employer_contact")
                .order_by(kit.audit.c.at)
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("write", None),
        ("read", "arrange_interview"),
        ("write", None),
        ("erase", None),
    ]
    assert "Claire" not in str(await outbox(database_url))


async def test_another_employer_cannot_read_the_hr_contact(programme: Programme) -> None:
    mine, theirs = await programme.company(), await programme.company()
    foreign = await programme.client.get(
        f"/v1/employers/{theirs.employer_id}/hr-contact",
        params={"reason": "curiosity"},
        headers=programme.as_(OrgKind.EMPLOYER, mine.org_id),
    )
    assert_problem(foreign, 404)
    supporter = await programme.client.get(
        f"/v1/employers/{theirs.employer_id}/hr-contact", params={"reason": "curiosity"}, headers=programme.support
    )
    assert_problem(supporter, 404)


async def test_demand_adds_pledged_places_and_open_positions_per_sector_and_region(programme: Programme) -> None:
    company = await programme.company()  # Paris: region 11
    headers = programme.as_(OrgKind.EMPLOYER, company.org_id)
    pledge = {
        "sector_code": "logistics",
        "region_code": "11",
        "places": 8,
        "starts_on": (TODAY - timedelta(days=1)).isoformat(),
        "ends_on": (TODAY + timedelta(days=300)).isoformat(),
    }
    made = await programme.client.post(f"/v1/employers/{company.employer_id}/pledges", json=pledge, headers=headers)
    assert made.status_code == 201, made.text
    vacancy = {
        "employer_id": str(company.employer_id),
        "establishment_id": str(company.establishment_id),
        "rome_code": "n1103",
        "sector_code": "logistics",
        "positions": 3,
        "hours_per_week": "35",
        "starts_on": (TODAY + timedelta(days=20)).isoformat(),
        "contract_type": "professionalisation",
    }
    assert (await programme.client.post("/v1/vacancies", json=vacancy, headers=headers)).status_code == 201
    demand = await programme.client.get(
        "/v1/demand", params={"sector_code": "logistics", "region_code": "11"}, headers=programme.trainer
    )
    assert demand.status_code == 200
    assert demand.json() == [
        {"sector_code": "logistics", "region_code": "11", "pledged_places": 8, "open_positions": 3}
    ]
    assert_problem(
        await programme.client.get("/v1/demand", params={"sector_code": "space"}, headers=programme.trainer), 400
    )
