"""/v1/examples on SQLite and PostgreSQL: created once, read, listed page by page, published without its label."""

from __future__ import annotations

import uuid

import httpx
import pytest

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer

from .support import assert_problem, outbox

pytestmark = pytest.mark.integration

OPERATOR = OrgKind.PROGRAMME_OPERATOR


async def test_a_writer_creates_an_example_that_any_caller_can_read(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    created = await client.post(
        "/v1/examples", json={"code": "Site-A", "label": "First site"}, headers=issuer.headers(OPERATOR, Role.WRITER)
    )
    assert created.status_code == 201, created.text
    example = created.json()
    assert (example["code"], example["label"]) == ("site-a", "First site")
    read = await client.get(f"/v1/examples/{example['id']}", headers=issuer.headers(OrgKind.EMPLOYER, Role.READER))
    assert read.status_code == 200
    assert read.json() == example


async def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer_and_creates_nothing(
    client: httpx.AsyncClient, issuer: TokenIssuer, database_url: str
) -> None:
    org = uuid.uuid4()
    headers = {**issuer.headers(OPERATOR, Role.WRITER, org_id=org), "Idempotency-Key": "create-site-b"}
    first = await client.post("/v1/examples", json={"code": "site-b", "label": "B"}, headers=headers)
    again = await client.post("/v1/examples", json={"code": "site-b", "label": "B"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    listed = await client.get("/v1/examples", headers=issuer.headers(OPERATOR, Role.READER))
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]
    assert len(await outbox(database_url)) == 1


async def test_a_second_example_with_the_same_code_is_a_conflict(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    headers = issuer.headers(OPERATOR, Role.WRITER)
    assert (await client.post("/v1/examples", json={"code": "c", "label": "C"}, headers=headers)).status_code == 201
    again = await client.post("/v1/examples", json={"code": "C", "label": "Other"}, headers=headers)
    assert_problem(again, 409, "example-code-taken")


async def test_bad_input_is_a_problem_naming_the_field(client: httpx.AsyncClient, issuer: TokenIssuer) -> None:
    headers = issuer.headers(OPERATOR, Role.WRITER)
    for body, field in [({"label": "no code"}, "code"), ({"code": "has space", "label": "x"}, "code")]:
        problem = assert_problem(await client.post("/v1/examples", json=body, headers=headers), 422, "validation")
        assert any(field in error["field"] for error in problem["errors"]), problem
    assert_problem(await client.get("/v1/examples?cursor=not-ours", headers=headers), 400, "invalid-cursor")


async def test_a_reader_may_not_create_and_nobody_reads_without_a_token(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    refused = await client.post(
        "/v1/examples", json={"code": "r", "label": "R"}, headers=issuer.headers(OPERATOR, Role.READER)
    )
    assert_problem(refused, 403)
    assert_problem(await client.get("/v1/examples"), 401)


async def test_an_unknown_example_is_not_found(client: httpx.AsyncClient, issuer: TokenIssuer) -> None:
    missing = await client.get(f"/v1/examples/{uuid.uuid4()}", headers=issuer.headers(OPERATOR, Role.READER))
    assert_problem(missing, 404, "not-found")


async def test_the_list_pages_through_every_example_exactly_once(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    headers = issuer.headers(OPERATOR, Role.WRITER)
    created = set()
    for number in range(5):
        response = await client.post("/v1/examples", json={"code": f"p{number}", "label": "P"}, headers=headers)
        created.add(response.json()["id"])
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/examples", params=params, headers=headers)).json()
        assert len(page["items"]) <= 2
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(created)


async def test_the_creation_is_published_with_ids_only(
    client: httpx.AsyncClient, issuer: TokenIssuer, database_url: str
) -> None:
    response = await client.post(
        "/v1/examples", json={"code": "e-42", "label": "Not in events"}, headers=issuer.headers(OPERATOR, Role.WRITER)
    )
    [event] = await outbox(database_url)
    assert event["type"] == "fr.hope.reporting.example.created.v1"
    assert event["example_id"] == response.json()["id"]
    assert "e-42" not in str(event)
    assert "Not in events" not in str(event)


async def test_the_service_says_it_is_ready_what_it_publishes_and_its_metrics(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    await client.get("/v1/examples", headers=issuer.headers(OPERATOR, Role.READER))
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert 'route="/v1/examples"' in metrics.text
    document = (await client.get("/asyncapi")).json()
    assert {channel["address"] for channel in document["channels"].values()} == {"hope.reporting.events"}
