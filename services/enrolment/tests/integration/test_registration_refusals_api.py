"""A registration with several wrong fields is refused once, naming each of them (issue 13): the format rules, the
phone's shape (stated in the document) and the age rule, together."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer

pytestmark = pytest.mark.integration


async def test_every_wrong_field_of_a_registration_is_named_in_one_answer(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any
) -> None:
    too_young = (datetime.now(UTC).date() - timedelta(days=3660)).isoformat()
    body = registration(phone="06 12 AB", email="amina@", birth_date=too_young, nationality="SY1")

    answer = await client.post(
        "/v1/beneficiaries", json=body, headers=issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    )

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert sorted(error["field"] for error in answer.json()["errors"]) == [
        "birth_date",
        "email",
        "nationality",
        "phone",
    ]
    assert "06 12 AB" not in answer.text
    assert "amina@" not in answer.text


async def test_the_document_states_the_phone_shape_the_service_accepts(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any
) -> None:
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]["Registration"]
    shape = next(option["pattern"] for option in schema["properties"]["phone"]["anyOf"] if "pattern" in option)
    office = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)

    for phone, accepted in (("06 12 34 56 78", True), ("+33 6 12 34 56 78", True), ("0612", False)):
        answer = await client.post("/v1/beneficiaries", json=registration(phone=phone), headers=office)
        assert bool(re.fullmatch(shape, phone)) is accepted
        assert answer.status_code == (201 if accepted else 422), answer.text
        if accepted:
            assert answer.json()["phone"] == "+33612345678"
        else:
            assert [error["field"] for error in answer.json()["errors"]] == ["phone"]
