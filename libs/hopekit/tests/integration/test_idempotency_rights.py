"""``Idempotency-Key`` replays a kept answer only to the caller it was given to, with the rights it held then, on
SQLite and PostgreSQL. The replay comes before the route's own checks, so a client whose roles, scopes or
organisation changed must not get, by its old key, what it may no longer be given."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import func, insert, select

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.problems import Problem, install_problem_handlers
from hopekit.api.security import authenticated
from hopekit.api.transaction import service_router, unit_of_work
from hopekit.db.engine import make_engine
from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.identity.principal import Principal
from hopekit.uow import Database, UnitOfWork

pytestmark = pytest.mark.integration

metadata = make_metadata()
kit = add_kit_tables(metadata)
SCHOOL = Principal(
    subject="tms-client",
    org_id=uuid.UUID("5a1e0000-0000-4000-8000-000000000001"),
    org_kind=OrgKind.TRAINING_PROVIDER,
    roles=frozenset({Role.WRITER}),
    scopes=frozenset({"training:write", "training:read"}),
    token_id="first-token",
    issued_at=1_780_000_000,
)
BODY = {"name": "Amina Diallo"}


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = make_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield Database(engine=engine, tables=kit)
    await engine.dispose()


async def writer(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
    allowed = principal.org_kind is OrgKind.TRAINING_PROVIDER and principal.can_write()
    if not allowed or "training:write" not in principal.scopes:
        raise Problem(403, "forbidden", "A training provider's writer with the training:write scope writes here.")
    return principal


class Platform:
    """A route that creates a person's record and answers with their name, for a writer with the write scope:
    its check is the route's own, as in a service, so a replay answered before it skips it."""

    def __init__(self, database: Database) -> None:
        self.caller = SCHOOL
        self.created = 0
        router = service_router()

        @router.post("/people", status_code=201, dependencies=[IDEMPOTENT])
        async def create(
            body: dict[str, str],
            uow: Annotated[UnitOfWork, Depends(unit_of_work)],
            _: Annotated[Principal, Depends(writer)],
        ) -> dict[str, str]:
            self.created += 1
            return {"id": str(uuid.uuid4()), "name": body["name"]}

        app = FastAPI()
        app.state.uow_factory = lambda: UnitOfWork(database)
        app.dependency_overrides[authenticated] = lambda: self.caller
        install_problem_handlers(app)
        app.include_router(router)
        self.app = app

    async def post(self, key: str, body: dict[str, Any] = BODY) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            headers = {"Idempotency-Key": key, "Content-Type": "application/json"}
            return await client.post("/people", content=json.dumps(body), headers=headers)


async def kept_rows(database: Database) -> int:
    async with database.engine.connect() as connection:
        return (await connection.execute(select(func.count()).select_from(kit.idempotency))).scalar_one()


async def test_the_same_caller_with_the_same_rights_gets_the_first_answer_even_with_a_renewed_token(
    database: Database,
) -> None:
    platform = Platform(database)
    first = await platform.post("k-1")
    assert first.status_code == 201
    platform.caller = replace(SCHOOL, token_id="renewed-token", issued_at=1_780_003_600)
    again = await platform.post("k-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert platform.created == 1


@pytest.mark.parametrize(
    "reduced",
    [
        pytest.param({"roles": frozenset({Role.READER})}, id="roles"),
        pytest.param({"scopes": frozenset({"training:read"})}, id="scopes"),
        pytest.param({"org_kind": OrgKind.SUPPORT_PROVIDER}, id="org-kind"),
    ],
)
async def test_a_client_whose_rights_changed_gets_no_replay_of_what_it_was_given_before(
    database: Database, reduced: dict[str, Any]
) -> None:
    platform = Platform(database)
    first = await platform.post("k-1")
    assert first.status_code == 201
    platform.caller = replace(SCHOOL, **reduced)
    again = await platform.post("k-1")
    assert again.status_code == 422
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["type"].endswith("idempotency-key-rights-changed")
    assert "Amina" not in again.text
    assert platform.created == 1
    # With its new rights, a new key reaches the route's own check.
    assert (await platform.post("k-2")).status_code == 403
    # The kept answer stays the first rights' own: with them back, the retry is replayed.
    platform.caller = SCHOOL
    assert (await platform.post("k-1")).json() == first.json()


async def test_another_client_with_the_same_key_has_its_own_answer(database: Database) -> None:
    platform = Platform(database)
    first = await platform.post("k-1")
    platform.caller = replace(SCHOOL, subject="another-client")
    other = await platform.post("k-1")
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers
    assert other.json()["id"] != first.json()["id"]
    platform.caller = replace(SCHOOL, org_id=uuid.uuid4())
    assert (await platform.post("k-1")).json()["id"] not in {first.json()["id"], other.json()["id"]}
    assert platform.created == 3
    assert await kept_rows(database) == 3


async def test_the_same_key_on_another_request_is_refused_as_before(database: Database) -> None:
    platform = Platform(database)
    assert (await platform.post("k-1")).status_code == 201
    changed = await platform.post("k-1", {"name": "Someone Else"})
    assert changed.status_code == 422
    assert changed.json()["type"].endswith("idempotency-key-reused")
    # A changed body is told as such even when the rights changed too.
    platform.caller = replace(SCHOOL, roles=frozenset({Role.READER}))
    assert (await platform.post("k-1", {"name": "Someone Else"})).json()["type"].endswith("idempotency-key-reused")
    assert platform.created == 1


async def test_an_answer_kept_before_rights_were_bound_is_not_replayed(database: Database) -> None:
    """Rows kept by the earlier kit hold the request's whole SHA-256 and no rights: refused, not replayed."""
    platform = Platform(database)
    request_digest = hashlib.sha256(b"POST /people\n" + json.dumps(BODY).encode()).hexdigest()
    async with database.engine.begin() as connection:
        await connection.execute(
            insert(kit.idempotency).values(
                client=SCHOOL.client_key,
                key="k-old",
                fingerprint=request_digest,
                status_code=201,
                response={"id": "kept-before", "name": "Amina Diallo"},
                created_at=datetime.now(UTC),
            )
        )
    refused = await platform.post("k-old")
    assert refused.status_code == 422
    assert refused.json()["type"].endswith("idempotency-key-rights-changed")
    assert "kept before" in refused.json()["detail"]
    assert "Amina" not in refused.text
    assert platform.created == 0
