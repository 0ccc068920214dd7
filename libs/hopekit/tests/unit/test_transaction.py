"""The kit's request transaction: commit after a successful answer, before it is sent; rollback otherwise."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any, ClassVar

import httpx
import pytest
from fastapi import Depends, FastAPI

from hopekit.api.problems import install_problem_handlers
from hopekit.api.transaction import service_router, unit_of_work
from hopekit.uow import UnitOfWork

from .fakes import ThingHappened, sqlite_database


class FakeUnitOfWork:
    """Records what the kit did with it; ``fail_commit`` makes the commit fail as a lost database would."""

    def __init__(self, journal: list[str], fail_commit: bool) -> None:
        self.journal = journal
        self.fail_commit = fail_commit
        self.committed = False

    autocommit = False

    async def __aenter__(self) -> FakeUnitOfWork:
        self.journal.append("open autocommit" if self.autocommit else "open")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.journal.append("close" if self.committed else "rollback")

    async def commit(self) -> None:
        if self.fail_commit:
            raise ConnectionError("the database went away")
        self.committed = True
        self.journal.append("commit")


class SeatTaken(Exception):
    """A domain error as a service writes it: a category and details, and no import of the kit."""

    code: ClassVar[str] = "seat_taken"
    category: ClassVar[str] = "conflict"

    def details(self) -> dict[str, Any]:
        return {"seats_left": 0}


UoW = Annotated[FakeUnitOfWork, Depends(unit_of_work)]


def make_app(journal: list[str], *, fail_commit: bool = False) -> FastAPI:
    router = service_router()

    @router.post("/things", status_code=201)
    async def create(uow: UoW) -> dict[str, str]:
        uow.journal.append("endpoint")
        return {"id": "1"}

    @router.post("/refused")
    async def refuse(uow: UoW) -> dict[str, str]:
        raise SeatTaken("no seat left")

    @router.get("/things/1")
    async def read(uow: UoW) -> dict[str, str]:
        uow.journal.append("endpoint")
        return {"id": "1"}

    @router.get("/untouched")
    async def untouched() -> dict[str, str]:
        return {"ok": "yes"}

    app = FastAPI()
    app.state.uow_factory = lambda: FakeUnitOfWork(journal, fail_commit)
    install_problem_handlers(app)
    app.include_router(router)
    return app


async def _post(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(path)


async def test_a_successful_endpoint_is_committed_before_its_answer_is_sent() -> None:
    journal: list[str] = []
    response = await _post(make_app(journal), "/things")
    assert response.status_code == 201
    assert journal == ["open", "endpoint", "commit", "close"]


async def test_a_failed_commit_is_answered_as_an_error_not_as_a_success() -> None:
    journal: list[str] = []
    response = await _post(make_app(journal, fail_commit=True), "/things")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert journal == ["open", "endpoint", "rollback"]


async def test_a_domain_error_rolls_back_and_is_answered_by_its_category() -> None:
    journal: list[str] = []
    response = await _post(make_app(journal), "/refused")
    assert response.status_code == 409
    document = response.json()
    assert document["type"] == "urn:hope:problem:seat-taken"
    assert document["seats_left"] == 0
    assert journal == ["open", "rollback"]


async def test_an_endpoint_that_asks_for_no_unit_of_work_opens_no_transaction() -> None:
    journal: list[str] = []
    app = make_app(journal)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/untouched")
    assert response.status_code == 200
    assert journal == []


async def test_a_read_runs_without_begin_and_commit_yet_its_audit_rows_are_committed_before_the_answer() -> None:
    journal: list[str] = []
    app = make_app(journal)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/things/1")
    assert response.status_code == 200
    assert journal == ["open autocommit", "endpoint", "commit", "close"]


async def test_a_read_may_not_publish_an_event_its_change_would_not_be_stored_with(tmp_path: Path) -> None:
    database = await sqlite_database(tmp_path)
    try:
        uow = UnitOfWork(database)
        uow.autocommit = True
        async with uow:
            with pytest.raises(RuntimeError, match="may not publish"):
                uow.publish(ThingHappened(thing_id=uuid.uuid4()))
    finally:
        await database.engine.dispose()
