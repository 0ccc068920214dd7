"""Errors that name their category are answered by it, with their own type and details, and nothing else."""

from __future__ import annotations

from typing import Any, ClassVar

import httpx
from fastapi import FastAPI

from hopekit.api.problems import install_problem_handlers
from hopekit.errors import CATEGORIES, NotFound


class ServiceRefusal(Exception):
    """A service's error base, as a service writes it: no import of the kit."""

    code: ClassVar[str] = "service_refusal"
    category: ClassVar[str] = "conflict"


class StoreDown(ServiceRefusal):
    code = "store_down"
    category = "unavailable"

    def details(self) -> dict[str, Any]:
        return {"retry": True}


class Misnamed(ServiceRefusal):
    category = "no-such-category"


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app, [ServiceRefusal])

    @app.get("/missing")
    async def missing() -> None:
        raise NotFound("no such thing")

    @app.get("/missing-session")
    async def missing_session() -> None:
        raise NotFound.of("session")

    @app.get("/down")
    async def down() -> None:
        raise StoreDown("the store cannot be written; nothing was changed")

    @app.get("/misnamed")
    async def misnamed() -> None:
        raise Misnamed("?")

    return app


async def _get(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


async def test_the_kits_not_found_is_a_404_problem_with_its_detail() -> None:
    response = await _get("/missing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:hope:problem:not-found"
    assert response.json()["detail"] == "no such thing"


async def test_a_named_not_found_says_what_is_missing_in_its_type() -> None:
    response = await _get("/missing-session")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:hope:problem:session-not-found"
    assert response.json()["detail"] == "no such session"


def test_each_kind_of_missing_thing_is_one_not_found_class_with_its_own_code() -> None:
    session, again, course = NotFound.of("session"), NotFound.of("session"), NotFound.of("training course")
    assert type(session) is type(again)
    assert isinstance(session, NotFound)
    assert (session.code, course.code, NotFound.code) == ("session_not_found", "training_course_not_found", "not_found")


async def test_a_listed_error_type_is_answered_by_its_category_with_its_details() -> None:
    response = await _get("/down")
    assert response.status_code == CATEGORIES["unavailable"].status == 503
    document = response.json()
    assert document["type"] == "urn:hope:problem:store-down"
    assert document["title"] == "Service Unavailable"
    assert document["retry"] is True


async def test_an_unknown_category_is_a_500_that_says_nothing_of_the_error() -> None:
    response = await _get("/misnamed")
    assert response.status_code == 500
    assert response.json()["type"] == "urn:hope:problem:internal"
    assert "no-such-category" not in response.text
