"""Exit outcomes, once per person, with their 3-, 6- and 12-month follow-ups; the due and overdue lists per
organisation; attempts, answers and the unreachable, who stay counted."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from hopekit.identity.principal import OrgKind

from .programme import TODAY, Programme
from .support import assert_problem, outbox

pytestmark = pytest.mark.integration


async def test_an_outcome_schedules_follow_ups_at_3_6_and_12_months_keeping_month_ends(
    programme: Programme, database_url: str
) -> None:
    person = await programme.person_in_step(4)
    await programme.withdraw(person, "employment_found", last_step=4)
    exit_on = date(2025, 8, 31)
    recorded = await programme.record_outcome(person, exit_on)
    assert recorded.status_code == 201, recorded.text
    outcome = recorded.json()
    assert outcome["observation"]["counts_as_employed"] is True
    assert [(f["months_after_exit"], f["due_on"]) for f in outcome["follow_ups"]] == [
        (3, "2025-11-30"),
        (6, "2026-02-28"),
        (12, "2026-08-31"),
    ]
    assert_problem(await programme.record_outcome(person, exit_on), 409, "outcome-already-recorded")
    [event] = [e for e in await outbox(database_url) if e["type"].endswith("outcome.recorded.v1")]
    assert (event["beneficiary_id"], event["outcome_code"], event["exit_on"]) == (
        str(person.beneficiary_id),
        "cdi",
        "2025-08-31",
    )
    read = await programme.client.get(f"/v1/outcomes/{person.beneficiary_id}", headers=programme.operator)
    assert read.json()["follow_ups"] == outcome["follow_ups"]


async def test_an_outcome_waits_for_step_4_or_the_end_of_the_path(programme: Programme) -> None:
    person = await programme.person_in_step(3)
    assert_problem(await programme.record_outcome(person, TODAY), 422, "rule-not-met")
    assert_problem(await programme.record_outcome(person, TODAY + timedelta(days=1)), 422)
    await programme.withdraw(person, "personal")
    assert (await programme.record_outcome(person, TODAY, code="job_search")).status_code == 201
    in_four = await programme.person_in_step(4)
    future = await programme.record_outcome(in_four, TODAY + timedelta(days=2))
    assert assert_problem(future, 400, "invalid-value")["field"] == "exit_on"


async def test_the_due_lists_show_each_organisation_only_its_people_and_overdue_ones_apart(
    programme: Programme, database: object
) -> None:
    old, recent = await programme.person_in_step(4), await programme.person_in_step(4)
    for person in (old, recent):
        await programme.withdraw(person, "employment_found", last_step=4)
    assert (await programme.record_outcome(old, TODAY - timedelta(days=200))).status_code == 201
    assert (await programme.record_outcome(recent, TODAY)).status_code == 201
    listed = await programme.client.get("/v1/follow-ups", params={"status": "due"}, headers=programme.support)
    lines = listed.json()["items"]
    assert len(lines) == 6
    assert [line["due_on"] for line in lines] == sorted(line["due_on"] for line in lines)
    overdue = await programme.client.get("/v1/follow-ups", params={"overdue": "true"}, headers=programme.support)
    assert [(f["beneficiary_id"], f["months_after_exit"]) for f in overdue.json()["items"]] == [
        (str(old.beneficiary_id), 3),
        (str(old.beneficiary_id), 6),
    ]
    assert all(f["overdue"] for f in overdue.json()["items"])
    other_support = await programme.client.get("/v1/follow-ups", headers=programme.as_(OrgKind.SUPPORT_PROVIDER))
    assert other_support.json()["items"] == []
    # France Travail sees follow-ups of people who consented only (test_consent.py): nobody has here.
    france_travail = await programme.client.get("/v1/follow-ups", headers=programme.as_(OrgKind.PUBLIC_EMPLOYMENT))
    assert france_travail.json()["items"] == []
    for kind in (OrgKind.EMPLOYER, OrgKind.TRAINING_PROVIDER, OrgKind.IMMIGRATION_OFFICE):
        assert_problem(await programme.client.get("/v1/follow-ups", headers=programme.as_(kind)), 403)
    page = await programme.client.get("/v1/follow-ups", params={"limit": 4}, headers=programme.support)
    rest = await programme.client.get(
        "/v1/follow-ups", params={"limit": 4, "cursor": page.json()["next_cursor"]}, headers=programme.support
    )
    assert [f["id"] for f in page.json()["items"] + rest.json()["items"]] == [f["id"] for f in lines]
    assert rest.json()["next_cursor"] is None


async def test_unreachable_needs_three_attempts_and_stays_counted_in_the_summary(
    programme: Programme, database_url: str
) -> None:
    person = await programme.person_in_step(4)
    await programme.withdraw(person, "employment_found", last_step=4)
    outcome = (await programme.record_outcome(person, TODAY - timedelta(days=100))).json()
    three, six = outcome["follow_ups"][0]["id"], outcome["follow_ups"][1]["id"]
    url = f"/v1/follow-ups/{three}"
    assert_problem(await programme.client.post(f"{url}/unreachable", headers=programme.support), 422, "rule-not-met")
    for count in (1, 2, 3):
        tried = await programme.client.post(f"{url}/attempts", headers=programme.support)
        assert (tried.status_code, tried.json()["attempts"]) == (201, count)
    marked = await programme.client.post(f"{url}/unreachable", headers=programme.support)
    assert marked.json()["status"] == "unreachable"
    assert_problem(await programme.client.post(f"{url}/attempts", headers=programme.support), 409)
    summary = await programme.client.get("/v1/follow-ups/summary", headers=programme.support)
    assert sorted((s["months_after_exit"], s["status"], s["count"]) for s in summary.json()) == [
        (3, "unreachable", 1),
        (6, "due", 1),
        (12, "due", 1),
    ]
    early = await programme.client.post(
        f"/v1/follow-ups/{six}/complete",
        json={"observed_on": TODAY.isoformat(), "outcome_code": "cdi", "evidence_source": "employer_confirmation"},
        headers=programme.support,
    )
    assert assert_problem(early, 400, "invalid-value")["field"] == "observed_on"
    recorded = [e for e in await outbox(database_url) if e["type"].endswith("follow_up.recorded.v1")]
    assert [(e["status"], e["attempts"]) for e in recorded] == [("unreachable", 3)]


async def test_a_follow_up_is_completed_with_the_situation_at_that_date(programme: Programme, database: object) -> None:
    person = await programme.person_in_step(4)
    await programme.withdraw(person, "employment_found", last_step=4)
    outcome = (await programme.record_outcome(person, TODAY - timedelta(days=95))).json()
    three = outcome["follow_ups"][0]
    done = await programme.client.post(
        f"/v1/follow-ups/{three['id']}/complete",
        json={
            "observed_on": TODAY.isoformat(),
            "outcome_code": "interim",
            "evidence_source": "public_employment_data",
            "weekly_hours": "35",
        },
        headers=programme.support,
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["observation"]["outcome_code"]) == ("done", "interim")
    unknown = await programme.client.post(f"/v1/follow-ups/{uuid.uuid4()}/attempts", headers=programme.support)
    assert_problem(unknown, 404)
    stranger = await programme.client.get(
        f"/v1/follow-ups/{three['id']}", headers=programme.as_(OrgKind.SUPPORT_PROVIDER)
    )
    assert_problem(stranger, 404)


async def test_a_provider_assigned_after_the_exit_reaches_the_due_lists(programme: Programme) -> None:
    """Providers come with the cohort; when its event is late, the follow-ups learn them when it arrives."""
    from hope_contracts import enrolment

    from .programme import NOW

    cohort = uuid.uuid4()
    person = await programme.person_in_step(4, cohort_id=cohort)
    await programme.withdraw(person, "employment_found", last_step=4)
    assert (await programme.record_outcome(person, TODAY, headers=programme.operator)).status_code == 201
    assert (await programme.client.get("/v1/follow-ups", headers=programme.support)).json()["items"] == []
    await programme.deliver(
        enrolment.CohortCreated(
            cohort_id=cohort,
            sector_code="logistics",
            region="11",
            track="group",
            training_provider_org_id=programme.training_org,
            support_provider_org_id=programme.support_org,
            capacity=12,
            occurred_at=NOW,
        )
    )
    assert len((await programme.client.get("/v1/follow-ups", headers=programme.support)).json()["items"]) == 3


async def test_the_pending_list_names_who_left_without_an_outcome_and_drops_them_once_recorded(
    programme: Programme,
) -> None:
    hired, dropped, in_step_4 = [await programme.person_in_step(4) for _ in range(3)]
    await programme.withdraw(hired, "employment_found", last_step=4)
    await programme.withdraw(dropped, "personal", last_step=4)
    in_step_3 = await programme.person_in_step(3)
    pending = await programme.client.get("/v1/outcomes/pending", headers=programme.support)
    ids = {p["beneficiary_id"] for p in pending.json()["items"]}
    assert {str(hired.beneficiary_id), str(dropped.beneficiary_id), str(in_step_4.beneficiary_id)} == ids
    assert str(in_step_3.beneficiary_id) not in ids
    for_a_job = await programme.client.get(
        "/v1/outcomes/pending", params={"withdrawal_reason": "employment_found"}, headers=programme.support
    )
    assert [p["beneficiary_id"] for p in for_a_job.json()["items"]] == [str(hired.beneficiary_id)]
    assert (await programme.record_outcome(hired, TODAY)).status_code == 201
    after = await programme.client.get("/v1/outcomes/pending", headers=programme.support)
    assert str(hired.beneficiary_id) not in {p["beneficiary_id"] for p in after.json()["items"]}
    assert (await programme.client.get("/v1/outcomes/pending", headers=programme.as_(OrgKind.SUPPORT_PROVIDER))).json()[
        "items"
    ] == []
    assert_problem(await programme.client.get("/v1/outcomes/pending", headers=programme.as_(OrgKind.EMPLOYER)), 403)
