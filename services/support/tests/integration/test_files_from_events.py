"""Support files from enrolment's events on SQLite and PostgreSQL: opened at step 3 for the cohort's support
provider, once, whatever the order and the duplicates; closed on withdrawal and completion; handed over when the
person moves to a cohort another organisation supports."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from hope_contracts import enrolment
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver, received
from .support import Programme, assert_problem, cohort_created, outbox, step_started

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    return Programme(client, issuer, database)


async def files_of(programme: Programme, person: uuid.UUID) -> list[dict[str, object]]:
    listed = await programme.client.get(
        f"/v1/files?beneficiary_id={person}", headers=programme.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER)
    )
    assert listed.status_code == 200, listed.text
    items: list[dict[str, object]] = listed.json()["items"]
    return items


async def test_step_3_opens_one_file_for_the_cohorts_support_provider_and_publishes_it(
    programme: Programme, database: Database, database_url: str
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(database, cohort_created(cohort, org))
    started = received(step_started(person, 3, cohort))
    assert await deliver(database, started)
    assert not await deliver(database, started)  # the same record again: dropped by the inbox
    assert await deliver(database, step_started(person, 3, cohort))  # the same fact, another id: no second file

    [opened] = await files_of(programme, person)
    assert (opened["support_org_id"], opened["cohort_id"], opened["status"]) == (str(org), str(cohort), "active")
    events = [e for e in await outbox(database_url) if e["type"] == "fr.hope.support.support_file.opened.v1"]
    assert [(e["file_id"], e["support_org_id"]) for e in events] == [(opened["id"], str(org))]


async def test_a_step_started_before_its_cohort_is_known_opens_the_file_when_the_cohort_arrives(
    programme: Programme, database: Database
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(database, step_started(person, 3, cohort))
    assert await files_of(programme, person) == []
    await deliver(database, cohort_created(cohort, org))
    [opened] = await files_of(programme, person)
    assert opened["support_org_id"] == str(org)


async def test_steps_before_3_open_nothing(programme: Programme, database: Database) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(database, cohort_created(cohort, org))
    for step in (1, 2):
        await deliver(database, step_started(person, step, cohort))
    assert await files_of(programme, person) == []


async def test_withdrawal_and_completion_close_the_file_with_their_reason(
    programme: Programme, database: Database, database_url: str
) -> None:
    org = uuid.uuid4()
    withdrawn_person, withdrawn_file = await programme.person_in_step_3(org)
    done_person, done_file = await programme.person_in_step_3(org)
    now = datetime.now(UTC)
    await deliver(
        database,
        enrolment.BeneficiaryWithdrawn(
            beneficiary_id=withdrawn_person,
            reason="moved_away",
            from_status="french_qualification",
            last_step=3,
            occurred_at=now,
        ),
    )
    await deliver(database, enrolment.PathwayCompleted(beneficiary_id=done_person, occurred_at=now))

    reader = programme.support(org, Role.READER)
    for file_id, reason in ((withdrawn_file, "withdrawn"), (done_file, "path_completed")):
        found = (await programme.client.get(f"/v1/files/{file_id}", headers=reader)).json()
        assert (found["status"], found["end_reason"]) == ("closed", reason)
        assert [c["to_status"] for c in found["history"]] == ["active", "closed"]
    closed = [e["end_reason"] for e in await outbox(database_url) if e["type"].endswith("support_file.closed.v1")]
    assert sorted(closed) == ["path_completed", "withdrawn"]


async def test_a_move_to_a_cohort_of_another_support_provider_hands_the_file_over(
    programme: Programme, database: Database
) -> None:
    first_org, second_org, second_cohort = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    person, _first_file = await programme.person_in_step_3(first_org)
    await deliver(database, cohort_created(second_cohort, second_org))
    await deliver(database, step_started(person, 4, second_cohort))

    files = {f["support_org_id"]: f for f in await files_of(programme, person)}
    assert (files[str(first_org)]["status"], files[str(first_org)]["end_reason"]) == ("closed", "transferred")
    assert files[str(second_org)]["status"] == "active"


async def test_a_referent_works_the_file_through_hold_resume_and_close_with_every_change_kept(
    programme: Programme, database_url: str
) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    writer = programme.support(org)
    assigned = await programme.client.put(
        f"/v1/files/{file_id}/referent", json={"referent": "staff-042"}, headers=writer
    )
    assert assigned.json()["referent"] == "staff-042"
    assert (await programme.client.post(f"/v1/files/{file_id}/hold", headers=writer)).json()["status"] == "on_hold"
    assert_problem(await programme.client.post(f"/v1/files/{file_id}/hold", headers=writer), 409, "illegal-transition")
    assert (await programme.client.post(f"/v1/files/{file_id}/resume", headers=writer)).json()["status"] == "active"
    closed = await programme.client.post(
        f"/v1/files/{file_id}/close", json={"end_reason": "lost_contact"}, headers=writer
    )
    assert closed.json()["end_reason"] == "lost_contact"

    mine = await programme.client.get("/v1/files?referent=staff-042", headers=writer)
    assert [f["id"] for f in mine.json()["items"]] == [file_id]
    history = (await programme.client.get(f"/v1/files/{file_id}", headers=writer)).json()["history"]
    assert [(c["from_status"], c["to_status"], c["referent"]) for c in history] == [
        (None, "active", None),
        ("active", "active", "staff-042"),
        ("active", "on_hold", None),
        ("on_hold", "active", None),
        ("active", "closed", None),
    ]


async def test_a_support_provider_opens_a_file_by_hand_once_and_only_for_its_own_cohorts(
    programme: Programme, database: Database
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await programme.partner(org)
    await deliver(database, cohort_created(cohort, org))
    body = {"beneficiary_id": str(person), "cohort_id": str(cohort)}
    assert_problem(await programme.client.post("/v1/files", json=body, headers=programme.support(uuid.uuid4())), 403)
    opened = await programme.client.post("/v1/files", json=body, headers=programme.support(org))
    assert opened.status_code == 201, opened.text
    assert_problem(await programme.client.post("/v1/files", json=body, headers=programme.support(org)), 409)
    # Someone on the individual track, with no cohort.
    alone = await programme.client.post(
        "/v1/files", json={"beneficiary_id": str(uuid.uuid4())}, headers=programme.support(org)
    )
    assert alone.status_code == 201


async def test_a_support_provider_the_gateway_does_not_know_as_active_opens_no_file_and_houses_no_one(
    programme: Programme,
) -> None:
    """The token says "support provider"; the gateway's events decide whether it still is an active one."""
    deactivated, unknown, employer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await programme.partner(deactivated, active=False)
    await programme.partner(employer, OrgKind.EMPLOYER)
    body = {"beneficiary_id": str(uuid.uuid4())}
    for org in (deactivated, unknown, employer):
        assert_problem(await programme.client.post("/v1/files", json=body, headers=programme.support(org)), 403)
        residence = {
            "label": "Résidence",
            "commune_code": "75056",
            "department_code": "75",
            "open_periods": [{"starts_on": "2026-09-01", "ends_on": "2026-10-01"}],
            "rooms": [{"room": "A", "beds": 1}],
        }
        answer = await programme.client.post(
            "/v1/residences", json=residence, headers=programme.support(org, Role.ADMIN)
        )
        assert_problem(answer, 403)


async def test_needs_are_published_by_category_only_and_medical_ones_not_at_all(
    programme: Programme, database_url: str
) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    made = []
    for code, role in (("administrative.caf", Role.WRITER), ("medical.disability", Role.MEDICAL)):
        need = await programme.client.post(
            f"/v1/files/{file_id}/needs", json={"code": code, "priority": "high"}, headers=programme.support(org, role)
        )
        assert need.status_code == 201, need.text
        made.append(need.json()["id"])
        resolved = await programme.client.post(f"/v1/needs/{made[-1]}/resolve", headers=programme.support(org, role))
        assert resolved.json()["status"] == "resolved"
    events = [e for e in await outbox(database_url) if ".need." in e["type"]]
    assert [(e["type"], e["need_id"], e["category"]) for e in events] == [
        ("fr.hope.support.need.opened.v1", made[0], "administrative"),
        ("fr.hope.support.need.resolved.v1", made[0], "administrative"),
    ]
    assert all("code" not in e for e in events)


async def test_a_referral_needs_consent_to_share_and_one_to_a_health_centre_is_not_published(
    programme: Programme, database_url: str
) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    writer = programme.support(org)
    url = f"/v1/files/{file_id}/referrals"
    assert_problem(
        await programme.client.post(url, json={"partner": "caf", "shares_information": True}, headers=writer),
        422,
        "consent-required",
    )
    sent = await programme.client.post(
        url, json={"partner": "caf", "shares_information": True, "consent_recorded_on": "2026-01-05"}, headers=writer
    )
    assert sent.status_code == 201, sent.text
    health = await programme.client.post(url, json={"partner": "health_centre"}, headers=writer)
    assert health.status_code == 201
    accepted = await programme.client.post(f"/v1/referrals/{sent.json()['id']}/accept", headers=writer)
    assert accepted.json()["status"] == "accepted"
    made = [e for e in await outbox(database_url) if e["type"] == "fr.hope.support.referral.made.v1"]
    assert [(e["referral_id"], e["partner"]) for e in made] == [(sent.json()["id"], "caf")]
