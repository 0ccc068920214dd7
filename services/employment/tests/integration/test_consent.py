"""France Travail sees a person's follow-ups after exit only while their consent to data sharing with partners
is given (enrolment's `consent_changed`): a withdrawal hides them at once, the latest decision wins whatever the
order of arrival, and a duplicate changes nothing."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from employment_service.adapters import tables
from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from hope_contracts import enrolment
from hope_contracts.enrolment import PublishedConsentPurpose
from hopekit.identity.principal import OrgKind, Role
from hopekit.uow import Database

from .programme import NOW, TODAY, Person, Programme
from .support import assert_problem

pytestmark = pytest.mark.integration

FRANCE_TRAVAIL = uuid.uuid4()


def consent(
    person: Person, given: bool, at: datetime, purpose: PublishedConsentPurpose = "data_sharing_with_partners"
) -> enrolment.ConsentChanged:
    return enrolment.ConsentChanged(beneficiary_id=person.beneficiary_id, purpose=purpose, given=given, occurred_at=at)


async def france_travail_sees(programme: Programme, role: Role = Role.WRITER) -> list[tuple[str, int]]:
    headers = programme.as_(OrgKind.PUBLIC_EMPLOYMENT, FRANCE_TRAVAIL, role)
    listed = await programme.client.get("/v1/follow-ups", headers=headers)
    assert listed.status_code == 200, listed.text
    return [(f["beneficiary_id"], f["months_after_exit"]) for f in listed.json()["items"]]


async def a_person_who_left(programme: Programme) -> tuple[Person, list[dict[str, Any]]]:
    person = await programme.person_in_step(4)
    await programme.withdraw(person, "employment_found", last_step=4)
    recorded = await programme.record_outcome(person, TODAY - timedelta(days=120))
    assert recorded.status_code == 201, recorded.text
    follow_ups: list[dict[str, Any]] = recorded.json()["follow_ups"]
    return person, follow_ups


def the_three(person: Person) -> list[tuple[str, int]]:
    return [(str(person.beneficiary_id), months) for months in (3, 6, 12)]


async def audit_actions(database: Database, person: Person) -> list[str]:
    async with EmploymentUnitOfWork(database) as uow:
        audit = tables.metadata.tables["audit_log"]
        query = (
            select(audit.c.action)
            .where(audit.c.object_id == str(person.beneficiary_id), audit.c.action.like("data_sharing_%"))
            .order_by(audit.c.at)
        )
        return list(await uow.connection.scalars(query))


async def test_france_travail_sees_the_follow_ups_while_consent_is_given_and_not_after_withdrawal(
    programme: Programme,
) -> None:
    person, follow_ups = await a_person_who_left(programme)
    three = follow_ups[0]["id"]
    ft = programme.as_(OrgKind.PUBLIC_EMPLOYMENT, FRANCE_TRAVAIL)
    assert await france_travail_sees(programme) == []
    assert_problem(await programme.client.get(f"/v1/follow-ups/{three}", headers=ft), 404)

    assert await programme.deliver(consent(person, True, NOW), "consent-1")
    assert not await programme.deliver(consent(person, True, NOW), "consent-1")  # delivered twice
    assert await france_travail_sees(programme) == the_three(person)
    assert await france_travail_sees(programme, Role.READER) == the_three(person)
    assert (await programme.client.get(f"/v1/follow-ups/{three}", headers=ft)).status_code == 200
    attempt = await programme.client.post(f"/v1/follow-ups/{three}/attempts", headers=ft)
    assert attempt.status_code == 201, attempt.text
    summary = await programme.client.get("/v1/follow-ups/summary", headers=ft)
    assert sum(line["count"] for line in summary.json()) == 3

    await programme.deliver(consent(person, False, NOW + timedelta(hours=1)))
    assert await france_travail_sees(programme) == []
    assert_problem(await programme.client.get(f"/v1/follow-ups/{three}", headers=ft), 404)
    assert_problem(await programme.client.post(f"/v1/follow-ups/{three}/attempts", headers=ft), 404)
    assert (await programme.client.get("/v1/follow-ups/summary", headers=ft)).json() == []
    # The support provider keeps following the person whatever France Travail may see.
    assert len((await programme.client.get("/v1/follow-ups", headers=programme.support)).json()["items"]) == 3
    assert await audit_actions(programme.database, person) == ["data_sharing_given", "data_sharing_withdrawn"]


async def test_a_withdrawal_overtaken_by_an_older_consent_still_hides_the_follow_ups(programme: Programme) -> None:
    person, _ = await a_person_who_left(programme)
    given, withdrawn = consent(person, True, NOW - timedelta(days=10)), consent(person, False, NOW)
    await programme.deliver(withdrawn)
    await programme.deliver(given)  # older, arriving late
    await programme.deliver(given)  # and resent under another id: the inbox cannot know it
    assert await france_travail_sees(programme) == []
    await programme.deliver(consent(person, True, NOW + timedelta(days=1)))  # given again, later
    assert await france_travail_sees(programme) == the_three(person)


async def test_consent_given_during_the_path_shows_the_follow_ups_as_soon_as_they_are_scheduled(
    programme: Programme,
) -> None:
    person = await programme.person_in_step(4)
    await programme.deliver(consent(person, True, NOW))
    assert await france_travail_sees(programme) == []  # no exit yet, nothing to follow up
    await programme.withdraw(person, "employment_found", last_step=4)
    assert (await programme.record_outcome(person, TODAY)).status_code == 201
    assert await france_travail_sees(programme) == the_three(person)


async def test_other_purposes_and_other_people_change_nothing_for_france_travail(programme: Programme) -> None:
    person, _ = await a_person_who_left(programme)
    other, _ = await a_person_who_left(programme)
    await programme.deliver(consent(person, True, NOW, purpose="programme_participation"))
    await programme.deliver(consent(person, True, NOW, purpose="employer_contact"))
    assert await france_travail_sees(programme) == []
    await programme.deliver(consent(other, True, NOW))
    assert await france_travail_sees(programme) == the_three(other)


async def test_consent_for_an_erased_person_recreates_nothing(programme: Programme) -> None:
    person, _ = await a_person_who_left(programme)
    await programme.deliver(consent(person, True, NOW))
    await programme.deliver(enrolment.BeneficiaryErased(beneficiary_id=person.beneficiary_id, occurred_at=NOW))
    await programme.deliver(consent(person, True, NOW + timedelta(days=1)))
    assert await france_travail_sees(programme) == []
