"""A referent's lists on SQLite and PostgreSQL: needs overdue and follow-ups due in a week, own files only,
medical needs only for the medical role, nothing for organisations that do not support people."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import Programme, raw_rows

pytestmark = pytest.mark.integration


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    return Programme(client, issuer, database)


async def test_overdue_needs_and_follow_ups_are_listed_for_those_who_may_read_them(
    programme: Programme, database_url: str
) -> None:
    org, other_org = uuid.uuid4(), uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    _, other_file = await programme.person_in_step_3(other_org)
    today = datetime.now(UTC).date()
    due = (today + timedelta(days=2)).isoformat()
    made = {}
    for name, file_, owner, code, role in (
        ("social", file_id, org, "social.budget", Role.WRITER),
        ("medical", file_id, org, "medical.treatment_follow_up", Role.MEDICAL),
        ("elsewhere", other_file, other_org, "civic.rights", Role.WRITER),
    ):
        need = await programme.client.post(
            f"/v1/files/{file_}/needs", json={"code": code, "due_on": due}, headers=programme.support(owner, role)
        )
        assert need.status_code == 201, need.text
        made[name] = need.json()["id"]
        action = await programme.client.post(
            f"/v1/needs/{made[name]}/actions",
            json={"type": "appointment", "on": due, "duration_minutes": 45, "partner": "caf", "follow_up_on": due},
            headers=programme.support(owner, role),
        )
        assert action.status_code == 201, action.text
    later = (today + timedelta(days=10)).isoformat()

    async def overdue(headers: dict[str, str]) -> set[str]:
        answer = await programme.client.get(f"/v1/worklists/overdue-needs?today={later}", headers=headers)
        assert answer.status_code == 200, answer.text
        return {item["id"] for item in answer.json()["items"]}

    async def follow_ups(headers: dict[str, str]) -> set[str]:
        answer = await programme.client.get(f"/v1/worklists/follow-ups?week_of={due}", headers=headers)
        assert answer.status_code == 200, answer.text
        return {item["need_id"] for item in answer.json()["items"]}

    writer, medical = programme.support(org, Role.WRITER), programme.support(org, Role.MEDICAL)
    operator = programme.headers(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN)
    assert await overdue(writer) == {made["social"]}
    assert await overdue(medical) == {made["social"], made["medical"]}
    assert await overdue(operator) == {made["social"], made["elsewhere"]}
    assert await overdue(programme.headers(OrgKind.EMPLOYER, Role.ADMIN)) == set()
    assert await follow_ups(writer) == {made["social"]}
    assert await follow_ups(medical) == {made["social"], made["medical"]}
    assert await follow_ups(programme.headers(OrgKind.TRAINING_PROVIDER, Role.READER)) == set()
    nothing_yet = await programme.client.get(f"/v1/worklists/overdue-needs?today={today.isoformat()}", headers=writer)
    assert nothing_yet.json()["items"] == []

    medical_actions = await programme.client.get(f"/v1/needs/{made['medical']}/actions", headers=medical)
    assert [(a["type"], a["partner"]) for a in medical_actions.json()["items"]] == [("appointment", "caf")]
    # In the table, the medical need's action has its type and partner only sealed.
    stored = await raw_rows(database_url, "SELECT type, partner, details_sealed FROM actions")
    assert sorted((row["type"] or "", row["details_sealed"] is None) for row in stored) == [
        ("", False),
        ("appointment", True),
        ("appointment", True),
    ]
