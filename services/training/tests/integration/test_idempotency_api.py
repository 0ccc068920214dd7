"""``Idempotency-Key`` on every creating POST and PUT, on SQLite and PostgreSQL: a retry gets the first
answer and changes nothing; the same key on another request is refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from training_service.adapters import tables
from training_service.adapters.tables import kit

from .programme import (
    ATTESTED,
    AWARDED,
    COMPLETED,
    RECORDED,
    Cohort,
    Programme,
    assert_problem,
    days_ago,
    outbox,
)

pytestmark = pytest.mark.integration


@dataclass
class Scene:
    """A step-4 course with one session held; ``alert`` is open for ``second``, who attended half of it."""

    cohort: Cohort
    course: dict[str, Any]
    session: dict[str, Any]
    alert: str

    @property
    def first(self) -> uuid.UUID:
        return self.cohort.people[0]

    @property
    def second(self) -> uuid.UUID:
        return self.cohort.people[1]


async def scene(programme: Programme) -> Scene:
    group = await programme.cohort(size=2, step=4)
    course = await programme.course(step=4, cohort=group)
    held = await programme.session(course, days_ago(3))
    marks: dict[uuid.UUID, str | tuple[str, str]] = {group.people[0]: "present", group.people[1]: ("present", "2")}
    assert (await programme.sheet(held, marks, programme.as_school())).status_code == 200
    alerts = await programme.http.get("/v1/alerts", headers=programme.as_school())
    [alert] = alerts.json()["items"]
    return Scene(group, course, held, alert["id"])


Request = tuple[str, str, dict[str, Any] | None]


@dataclass(frozen=True)
class Creation:
    name: str
    status: int
    table: Table
    event: str | None
    request: Callable[[Scene], Request]
    other: Callable[[Scene], Request]


def session_at(scene: Scene, starts_at: str) -> Request:
    body = {"held_on": days_ago(1), "starts_at": starts_at, "ends_at": "17:00"}
    return "POST", f"/v1/courses/{scene.course['id']}/sessions", body


def weekly(scene: Scene, weekdays: list[int]) -> Request:
    body = {"from": days_ago(0), "until": days_ago(-13), "weekdays": weekdays, "starts_at": "09:00", "ends_at": "12:00"}
    return "POST", f"/v1/courses/{scene.course['id']}/sessions/weekly", body


def sheet(scene: Scene, status: str) -> Request:
    body = {"entries": [{"beneficiary_id": str(scene.first), "status": status}]}
    return "PUT", f"/v1/sessions/{scene.session['id']}/attendance", body


def assessment(scene: Scene, level: str) -> Request:
    body = {
        "beneficiary_id": str(scene.first),
        "level": level,
        "test": "TCF",
        "assessed_on": days_ago(1),
    }
    return "POST", "/v1/assessments", body


def qualification(scene: Scene, result: str) -> Request:
    body = {
        "beneficiary_id": str(scene.first),
        "certification_name": "Titre professionnel Préparateur de commandes",
        "rncp_code": "RNCP38414",
        "result": result,
        "awarded_on": days_ago(1),
    }
    return "POST", "/v1/qualifications", body


def completion(scene: Scene, reason: str) -> Request:
    path = f"/v1/courses/{scene.course['id']}/participants/{scene.first}/completion"
    return "POST", path, {"waiver_reason": reason}


def resolution(scene: Scene, alert: str | None = None) -> Request:
    return "POST", f"/v1/alerts/{alert or scene.alert}/resolution", None


CREATIONS = [
    Creation("session", 201, tables.sessions, None, lambda s: session_at(s, "14:00"), lambda s: session_at(s, "15:00")),
    Creation("weekly", 201, tables.sessions, None, lambda s: weekly(s, [0, 2]), lambda s: weekly(s, [1, 3])),
    Creation("sheet", 200, tables.attendance, RECORDED, lambda s: sheet(s, "excused"), lambda s: sheet(s, "unexcused")),
    Creation(
        "assessment",
        201,
        tables.language_assessments,
        ATTESTED,
        lambda s: assessment(s, "A2"),
        lambda s: assessment(s, "B1"),
    ),
    Creation(
        "qualification",
        201,
        tables.qualifications,
        AWARDED,
        lambda s: qualification(s, "awarded"),
        lambda s: qualification(s, "failed"),
    ),
    # no event; the audit log shows whether it ran twice
    Creation("alert-resolution", 200, kit.audit, None, resolution, lambda s: resolution(s, str(uuid.uuid4()))),
    Creation(
        "completion",
        200,
        tables.participations,
        COMPLETED,
        lambda s: completion(s, "hired"),
        lambda s: completion(s, "moved"),
    ),
]


async def count(programme: Programme, table: Table) -> int:
    async with programme.database.engine.connect() as connection:
        found = await connection.scalar(select(func.count()).select_from(table))
    return int(found or 0)


@pytest.mark.parametrize("creation", CREATIONS, ids=[creation.name for creation in CREATIONS])
async def test_a_retry_with_the_same_key_gets_the_first_answer_and_changes_nothing(
    programme: Programme, database_url: str, creation: Creation
) -> None:
    found = await scene(programme)
    headers = {**programme.as_school(), "Idempotency-Key": f"{creation.name}-{uuid.uuid4()}"}

    async def send(request: Request) -> Any:
        method, path, body = request
        return await programme.http.request(method, path, json=body, headers=headers)

    first = await send(creation.request(found))
    assert first.status_code == creation.status, first.text
    rows, events = await count(programme, creation.table), await outbox(database_url, creation.event)

    retry = await send(creation.request(found))

    assert retry.status_code == first.status_code
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert await count(programme, creation.table) == rows
    assert await outbox(database_url, creation.event) == events
    if creation.event is not None:
        assert events  # the first request did publish
    assert_problem(await send(creation.other(found)), 422, "idempotency-key-reused")


async def test_without_a_key_a_repeated_creation_is_a_new_request(programme: Programme, database_url: str) -> None:
    found = await scene(programme)
    school = programme.as_school()
    resolution = f"/v1/alerts/{found.alert}/resolution"

    assert (await programme.http.post(resolution, headers=school)).status_code == 200
    assert_problem(await programme.http.post(resolution, headers=school), 409, "alert-already-resolved")
    method, path, body = session_at(found, "14:00")
    assert (await programme.http.request(method, path, json=body, headers=school)).status_code == 201
    assert_problem(await programme.http.request(method, path, json=body, headers=school), 409, "session-exists")


async def test_a_key_is_one_to_160_visible_characters(programme: Programme) -> None:
    found = await scene(programme)
    method, path, body = session_at(found, "14:00")
    for key in ("with spaces", "x" * 161, "caf\xe9".encode("latin-1")):
        headers: dict[str, str | bytes] = {**programme.as_school(), "Idempotency-Key": key}
        response = await programme.http.request(method, path, json=body, headers=headers)
        assert_problem(response, 400, "invalid-idempotency-key")
