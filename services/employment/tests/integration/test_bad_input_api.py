"""Bad input of every kind is a 4xx problem document naming what is wrong, never echoing the value sent."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from hopekit.identity.principal import OrgKind

from .programme import TODAY, Programme, new_siret
from .support import assert_problem

pytestmark = pytest.mark.integration


async def test_malformed_employers_are_refused_with_the_field_named(programme: Programme) -> None:
    good: dict[str, Any] = {
        "siret": new_siret(),
        "name": "Durand",
        "naf_code": "49.41A",
        "akto_member": True,
        "sector_codes": ["logistics"],
    }
    siret = good["siret"]
    # Digits str.isdigit() accepts but a SIRET is not made of: the check must refuse them.
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in siret)
    wrong_key = siret[:-1] + str((int(siret[-1]) + 1) % 10)
    cases: list[tuple[dict[str, Any], int, str, str | None]] = [
        ({"siret": wrong_key}, 400, "invalid-value", "siret"),
        ({"siret": "1234567890123"}, 400, "invalid-value", "siret"),
        ({"siret": fullwidth}, 400, "invalid-value", "siret"),
        ({"naf_code": "ABCDE"}, 400, "invalid-value", "naf_code"),
        ({"sector_codes": ["space"]}, 400, "unknown-code", "sector_codes"),
        ({"sector_codes": []}, 422, "validation", None),
        ({"name": ""}, 422, "validation", None),
        ({"akto_member": "maybe"}, 422, "validation", None),
        ({"surprise": 1}, 422, "validation", None),
        ({"hr_contact": {"full_name": "A", "email": "not-an-email"}}, 400, "invalid-value", "hr_contact.email"),
        (
            {"hr_contact": {"full_name": "A", "email": "a@b.fr", "phone": "12"}},
            400,
            "invalid-value",
            "hr_contact.phone",
        ),
    ]
    for change, status, slug, field in cases:
        answer = await programme.client.post("/v1/employers", json={**good, **change}, headers=programme.operator)
        problem = assert_problem(answer, status, slug)
        if field is not None:
            assert problem["field"] == field, change
        for value in change.values():
            if isinstance(value, str) and len(value) > 3:
                assert value not in answer.text, change


async def test_malformed_vacancies_contracts_outcomes_and_follow_ups_are_refused(programme: Programme) -> None:
    company = await programme.company()
    person = await programme.person_in_step(4)
    headers = programme.as_(OrgKind.EMPLOYER, company.org_id)
    vacancy: dict[str, Any] = {
        "employer_id": str(company.employer_id),
        "establishment_id": str(company.establishment_id),
        "rome_code": "N1103",
        "sector_code": "logistics",
        "positions": 1,
        "hours_per_week": "35",
        "starts_on": (TODAY + timedelta(days=5)).isoformat(),
        "contract_type": "apprenticeship",
    }
    for change, status, slug in [
        ({"rome_code": "Z9999"}, 400, "invalid-value"),
        ({"hours_per_week": "0.5"}, 422, "validation"),
        ({"hours_per_week": "12.345"}, 422, "validation"),
        ({"positions": 0}, 422, "validation"),
        ({"starts_on": (TODAY - timedelta(days=1)).isoformat()}, 400, "invalid-value"),
        ({"starts_on": "2026-02-30"}, 422, "validation"),
        ({"contract_type": "gig"}, 400, "unknown-code"),
        ({"establishment_id": "not-a-uuid"}, 422, "validation"),
    ]:
        assert_problem(
            await programme.client.post("/v1/vacancies", json={**vacancy, **change}, headers=headers), status, slug
        )
    contract = programme.contract_body(company, person)
    for change, status, slug in [
        ({"planned_end_on": contract["starts_on"]}, 400, "invalid-value"),
        ({"tutor_ref": "Jean Dupont"}, 422, "validation"),
        ({"beneficiary_id": None}, 422, "validation"),
    ]:
        assert_problem(
            await programme.client.post("/v1/contracts", json={**contract, **change}, headers=headers), status, slug
        )
    await programme.withdraw(person, "employment_found", last_step=4)
    outcome = {
        "beneficiary_id": str(person.beneficiary_id),
        "exit_on": TODAY.isoformat(),
        "outcome_code": "cdi",
        "evidence_source": "contract_copy",
    }
    for change, status, slug in [
        ({"outcome_code": "rich"}, 400, "unknown-code"),
        ({"evidence_source": "rumour"}, 400, "unknown-code"),
        ({"outcome_code": "job_search", "weekly_hours": "20"}, 400, "invalid-value"),
        ({"employer_id": str(uuid.uuid4())}, 404, "employer-not-found"),
        ({"weekly_hours": "60"}, 422, "validation"),
    ]:
        answer = await programme.client.post("/v1/outcomes", json={**outcome, **change}, headers=programme.support)
        assert_problem(answer, status, slug)
    for params in ({"status": "lost"}, {"due_before": "soon"}, {"limit": 0}, {"cursor": "bm90LW91cnM"}):
        answer = await programme.client.get("/v1/follow-ups", params=params, headers=programme.support)
        assert 400 <= answer.status_code < 500, params
        assert answer.headers["content-type"] == "application/problem+json"
    assert_problem(
        await programme.client.get("/v1/contracts/not-a-uuid", headers=programme.operator), 422, "validation"
    )
    assert_problem(await programme.client.get("/v1/contracts"), 401)
