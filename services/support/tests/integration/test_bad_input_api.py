"""Bad input of every kind on SQLite and PostgreSQL: a 4xx problem+json naming what is wrong, never repeating
what the caller sent (it could be health data), and nothing stored."""

from __future__ import annotations

import uuid

import httpx
import pytest

from hopekit.identity.principal import Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import Programme, assert_problem, raw_rows

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    return Programme(client, issuer, database)


async def test_malformed_bodies_are_validation_problems_naming_the_field(programme: Programme) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    writer = programme.support(org)
    cases = [
        (f"/v1/files/{file_id}/notes", {"level": "secret", "body": "x"}, "level"),
        (f"/v1/files/{file_id}/notes", {"level": "standard", "body": ""}, "body"),
        (f"/v1/files/{file_id}/notes", {"level": "standard", "body": "x" * 20_001}, "body"),
        (f"/v1/files/{file_id}/notes", {"level": "standard", "body": "x", "extra": 1}, "extra"),
        (f"/v1/files/{file_id}/needs", {"code": "has space"}, "code"),
        (f"/v1/files/{file_id}/needs", {"code": "social.budget", "due_on": "tomorrow"}, "due_on"),
        (f"/v1/files/{file_id}/close", {"end_reason": "bored"}, "end_reason"),
        ("/v1/files", {"beneficiary_id": "not-a-uuid"}, "beneficiary_id"),
        ("/v1/placements", {"beneficiary_id": str(uuid.uuid4()), "bed_id": str(uuid.uuid4())}, "starts_on"),
    ]
    for url, body, field in cases:
        problem = assert_problem(await programme.client.post(url, json=body, headers=writer), 422, "validation")
        assert any(field in error["field"] for error in problem["errors"]), (url, problem)
    assert_problem(await programme.client.get("/v1/files?cursor=not-ours", headers=writer), 400, "invalid-cursor")
    assert_problem(await programme.client.get("/v1/files/not-a-uuid", headers=writer), 422, "validation")


async def test_an_unknown_need_code_is_refused_without_being_repeated(programme: Programme, database_url: str) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    code = "medical.hiv_treatment"
    answer = await programme.client.post(
        f"/v1/files/{file_id}/needs", json={"code": code}, headers=programme.support(org, Role.MEDICAL)
    )
    problem = assert_problem(answer, 400, "unknown-need-code")
    assert "hiv" not in answer.text
    assert problem["field"] == "code"
    assert await raw_rows(database_url, "SELECT * FROM needs") == []


async def test_a_due_date_in_the_past_and_an_action_after_its_follow_up_are_refused(programme: Programme) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    writer = programme.support(org)
    past = await programme.client.post(
        f"/v1/files/{file_id}/needs", json={"code": "social.budget", "due_on": "2020-01-01"}, headers=writer
    )
    assert_problem(past, 400, "invalid-value")
    need = await programme.client.post(f"/v1/files/{file_id}/needs", json={"code": "social.budget"}, headers=writer)
    action = {"type": "appointment", "on": "2026-03-10", "duration_minutes": 30, "follow_up_on": "2026-03-01"}
    refused = await programme.client.post(f"/v1/needs/{need.json()['id']}/actions", json=action, headers=writer)
    assert_problem(refused, 400, "invalid-value")
    zero = await programme.client.post(
        f"/v1/needs/{need.json()['id']}/actions", json={**action, "duration_minutes": 0}, headers=writer
    )
    assert_problem(zero, 422, "validation")


async def test_unknown_objects_and_missing_tokens_are_problems_too(programme: Programme) -> None:
    writer = programme.support(uuid.uuid4())
    for url in (f"/v1/files/{uuid.uuid4()}", f"/v1/notes/{uuid.uuid4()}", f"/v1/needs/{uuid.uuid4()}"):
        assert_problem(await programme.client.get(url, headers=writer), 404, "not-found")
    assert_problem(await programme.client.get(f"/v1/files/{uuid.uuid4()}"), 401)
    transition = await programme.client.post(f"/v1/needs/{uuid.uuid4()}/explode", headers=writer)
    assert_problem(transition, 422, "validation")


async def test_a_residence_with_an_empty_or_overlapping_open_period_is_refused(programme: Programme) -> None:
    admin = programme.support(uuid.uuid4(), Role.ADMIN)
    residence = {"label": "R", "commune_code": "75056", "department_code": "75", "rooms": [{"room": "A", "beds": 1}]}
    for periods in (
        [{"starts_on": "2026-09-01", "ends_on": "2026-09-01"}],
        [{"starts_on": "2026-09-01", "ends_on": "2026-10-01"}, {"starts_on": "2026-09-15", "ends_on": "2026-11-01"}],
    ):
        answer = await programme.client.post(
            "/v1/residences", json={**residence, "open_periods": periods}, headers=admin
        )
        assert_problem(answer, 422, "validation")
