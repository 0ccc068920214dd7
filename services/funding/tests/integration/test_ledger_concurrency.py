"""The last euros of a line, claimed by two commitments at once: one gets them, the other a 409 naming what
the line has left; the kept balances equal what the postings say; the ledger refuses changes to postings."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import Programme, assert_problem, kept_and_derived_balances, outbox

pytestmark = pytest.mark.integration


async def test_two_concurrent_commitments_for_the_last_euros_one_succeeds_one_gets_409_with_the_available_amount(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    # 1,000.00 euros: room for one commitment of 60 hours at 10.00, not two.
    await programme.agreement([{"rate": "10.00", "quantity": "100.00", "amount": "1000.00"}])
    line = programme.line_ids[0]

    async def commit() -> httpx.Response:
        body = {"beneficiary_id": str(uuid.uuid4()), "budget_line_id": line, "quantity": "60.00"}
        return await client.post("/v1/commitments", json=body, headers=programme.operator)

    answers = await asyncio.gather(commit(), commit())
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    [won] = [answer for answer in answers if answer.status_code == 201]
    [lost] = [answer for answer in answers if answer.status_code == 409]
    assert won.json()["line_available"] == "400.00"
    problem = assert_problem(lost, 409, "limit-exceeded")
    assert (problem["available"], problem["requested"], problem["stage"]) == ("400.00", "600.00", "available")
    view = await programme.money("agreements", programme.agreement_id)
    assert (view["committed"], view["available"]) == ("600.00", "400.00")
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_many_concurrent_commitments_never_overdraw_a_line(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([{"rate": "10.00", "quantity": "100.00", "amount": "1000.00"}])
    body = {"budget_line_id": programme.line_ids[0], "quantity": "15.00"}

    async def commit() -> int:
        answer = await client.post(
            "/v1/commitments", json={**body, "beneficiary_id": str(uuid.uuid4())}, headers=programme.operator
        )
        return answer.status_code

    statuses = await asyncio.gather(*(commit() for _ in range(8)))
    # 150.00 each: six fit in 1,000.00 (900.00), the other two are refused.
    assert sorted(statuses) == [201] * 6 + [409] * 2
    view = await programme.money("agreements", programme.agreement_id)
    assert (view["committed"], view["available"]) == ("900.00", "100.00")
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_postings_cannot_be_changed_nor_removed(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([{"rate": "10.00", "quantity": "100.00", "amount": "1000.00"}])
    for statement in ("UPDATE postings SET amount = 1", "DELETE FROM postings", "DELETE FROM ledger_transactions"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.engine.begin() as connection:
                await connection.execute(text(statement))


async def test_a_commitment_retried_with_the_same_idempotency_key_commits_once(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement([{"rate": "10.00", "quantity": "100.00", "amount": "1000.00"}])
    body = {"beneficiary_id": str(uuid.uuid4()), "budget_line_id": programme.line_ids[0], "quantity": "10.00"}
    headers = {**programme.operator, "Idempotency-Key": "commit-once"}
    first = await client.post("/v1/commitments", json=body, headers=headers)
    again = await client.post("/v1/commitments", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    view = await programme.money("agreements", programme.agreement_id)
    assert (view["committed"], view["available"]) == ("100.00", "900.00")
    made = [e for e in await outbox(database_url) if e["type"] == "fr.hope.funding.commitment.made.v1"]
    assert len(made) == 1
