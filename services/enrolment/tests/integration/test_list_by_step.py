"""Listing by step: people on hold count in the step they will resume, pages are full, and only what is
returned is recorded as read."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from enrolment_service.adapters.tables import kit
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer

pytestmark = pytest.mark.integration

OPERATOR = uuid.uuid4()


async def _person(client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, *actions: str) -> str:
    office = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER, org_id=uuid.uuid4())
    created = await client.post("/v1/beneficiaries", json=registration(), headers=office)
    assert created.status_code == 201, created.text
    person: str = created.json()["id"]
    operator = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.WRITER, org_id=OPERATOR)
    for action in actions:
        body = {"action": action, "reason_code": "health"} if action == "put_on_hold" else {"action": action}
        moved = await client.post(f"/v1/beneficiaries/{person}/pathway/transitions", json=body, headers=operator)
        assert moved.status_code == 200, moved.text
    return person


async def _reads_recorded(database_url: str) -> Counter[str]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            audit = kit.audit
            query = select(audit.c.object_id).where(audit.c.action == "read", audit.c.actor_org_id == OPERATOR)
            return Counter(await connection.scalars(query))
    finally:
        await engine.dispose()


async def test_paging_by_step_finds_every_active_and_on_hold_person_once_and_records_only_those_read(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, database_url: str
) -> None:
    in_step = [await _person(client, issuer, registration, "start_prerequisites") for _ in range(3)]
    in_step += [await _person(client, issuer, registration, "start_prerequisites", "put_on_hold") for _ in range(3)]
    # On hold before step 1 started: not in step 1, though their status is the same as the people above.
    [await _person(client, issuer, registration, "put_on_hold") for _ in range(6)]
    [await _person(client, issuer, registration) for _ in range(2)]

    reader = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.READER, org_id=OPERATOR)
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"step": "1", "limit": "2", **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/beneficiaries", params=params, headers=reader)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        assert len(page["items"]) == 2 or page["next_cursor"] is None, "a page before the last one is full"
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sorted(seen) == sorted(in_step)
    assert pages == 3
    assert await _reads_recorded(database_url) == Counter(seen)
