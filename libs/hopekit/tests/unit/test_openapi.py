"""The OpenAPI document a kit-built app serves says which errors come, and that they are problem documents."""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

import httpx
from fastapi import Depends, FastAPI, status
from pydantic import BaseModel

from hopekit.api.idempotency import IDEMPOTENT
from hopekit.api.openapi import behind_gateway, install_truthful_openapi
from hopekit.api.pagination import CURSOR_PATTERN, after_id, encode_cursor
from hopekit.api.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers
from hopekit.api.security import authenticated
from hopekit.identity.principal import Principal

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
Caller = Annotated[Principal, Depends(authenticated)]


class Thing(BaseModel):
    name: str


def app() -> FastAPI:
    built = FastAPI()
    install_problem_handlers(built)
    install_truthful_openapi(built)

    @built.get("/v1/things/{thing_id}")
    async def read(thing_id: UUID, caller: Caller) -> Thing:
        return Thing(name=str(thing_id))

    @built.post("/v1/things", status_code=status.HTTP_201_CREATED, dependencies=[IDEMPOTENT])
    async def create(body: Thing, caller: Caller) -> Thing:
        return body

    @built.get("/v1/open")
    async def open_list(cursor: str | None = None) -> list[str]:
        after = after_id(cursor)
        return [str(after)] if after else []

    @built.get("/v1/declared", responses={418: {"description": "A teapot answers."}, 503: {"model": Thing}})
    async def declared() -> Thing:
        return Thing(name="x")

    return built


def responses(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = document["paths"][path][method]["responses"]
    return found


def test_fastapis_validation_answer_is_replaced_by_the_problem_document_the_app_sends() -> None:
    document = app().openapi()

    answer = responses(document, "/v1/things", "post")["422"]

    assert answer["content"] == {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert schemas["Problem"]["required"] == ["type", "title", "status"]
    assert schemas["Problem"]["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/ProblemFieldError"}


def test_an_authenticated_read_by_id_documents_401_403_404_and_no_write_answers() -> None:
    answers = responses(app().openapi(), "/v1/things/{thing_id}", "get")

    assert set(answers) == {"200", "401", "403", "404", "422", "500"}
    assert "WWW-Authenticate" in answers["401"]["headers"]


def test_a_creating_post_documents_malformed_bodies_conflicts_size_and_validation() -> None:
    answers = responses(app().openapi(), "/v1/things", "post")

    assert {"400", "401", "403", "404", "409", "413", "422", "500"} <= set(answers)
    assert all(
        answers[code]["content"] == {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}} for code in answers if code >= "4"
    )


def test_an_open_route_is_not_documented_as_refusing_tokens() -> None:
    answers = responses(app().openapi(), "/v1/open", "get")

    assert "401" not in answers
    assert "403" not in answers
    assert {"400", "422"} <= set(answers)


def test_answers_a_route_declares_are_kept_and_the_bare_ones_become_problems() -> None:
    answers = responses(app().openapi(), "/v1/declared", "get")

    assert answers["418"]["description"] == "A teapot answers."
    assert answers["418"]["content"] == {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}
    assert answers["503"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Thing"}


def test_the_cursor_and_idempotency_key_are_described_as_the_api_accepts_them() -> None:
    document = app().openapi()

    (cursor,) = document["paths"]["/v1/open"]["get"]["parameters"]
    key = next(p for p in document["paths"]["/v1/things"]["post"]["parameters"] if p["name"] == "idempotency-key")

    assert cursor["schema"]["minLength"] == 1
    assert re.fullmatch(cursor["schema"]["pattern"], encode_cursor({"after": str(UUID(int=1))}))
    assert cursor["schema"]["pattern"] == CURSOR_PATTERN
    assert key["schema"]["pattern"] == r"^[\x21-\x7e]{1,160}$"


async def test_an_empty_cursor_which_the_document_now_refuses_is_refused_by_the_api_too() -> None:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/v1/open", params={"cursor": ""})

    assert answer.status_code == 400
    assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE


async def test_the_served_document_is_the_truthful_one() -> None:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        served = (await client.get("/openapi.json")).json()

    assert "HTTPValidationError" not in served["components"]["schemas"]
    assert "413" in responses(served, "/v1/things", "post")


def test_an_operation_behind_the_gateway_also_documents_its_limits_and_upstream_failures() -> None:
    operation: dict[str, Any] = {"responses": {"200": {"description": "OK"}}}

    behind_gateway(operation)

    assert {"200", "401", "403", "429", "502", "503", "504"} == set(operation["responses"])
    assert "Retry-After" in operation["responses"]["429"]["headers"]
