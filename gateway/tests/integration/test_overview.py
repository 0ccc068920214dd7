"""GET /api/beneficiaries/{id}/overview: enrolment and training composed concurrently, each part with its status."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest

from gateway_service.main import create_app
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import running

from .conftest import STUB_SEEN, Credentials, Platform, Registration

pytestmark = pytest.mark.integration

TRAINING_PARTS = ("ledger", "language", "qualifications")


async def _registered(platform: Platform, registration: Registration) -> tuple[Credentials, str]:
    """An OFII client (every scope) and a person it registered, with one language assessment in training."""
    ofii = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    headers = await platform.headers(ofii)
    created = await platform.http.post("/api/enrolment/v1/beneficiaries", json=registration(), headers=headers)
    assert created.status_code == 201, created.text
    person: str = created.json()["id"]
    assessment = {"beneficiary_id": person, "level": "A1", "test": "TCF", "assessed_on": "2026-10-01"}
    # Training learns who registered the person from enrolment's event (over Kafka): until then the office is
    # not yet known as this person's and is refused.
    deadline = time.monotonic() + 20
    while True:
        assessed = await platform.http.post("/api/training/v1/assessments", json=assessment, headers=headers)
        if assessed.status_code != 403 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert assessed.status_code == 201, assessed.text
    return ofii, person


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _overview(platform: Platform, credentials: Credentials, person: str, **token_form: str) -> Any:
    token = await platform.token(credentials, **token_form)
    return await platform.http.get(f"/api/beneficiaries/{person}/overview", headers=_bearer(token))


async def test_the_overview_composes_enrolment_and_training(platform: Platform, registration: Registration) -> None:
    ofii, person = await _registered(platform, registration)
    response = await _overview(platform, ofii, person)
    assert response.status_code == 200, response.text
    overview = response.json()
    assert overview["beneficiary_id"] == person
    assert overview["partial"] is False
    assert set(overview["sources"]) == {"enrolment", "training"}
    beneficiary = overview["sources"]["enrolment"]["beneficiary"]
    assert (beneficiary["status"], beneficiary["http_status"]) == ("ok", 200)
    assert beneficiary["data"]["id"] == person
    training = overview["sources"]["training"]
    assert set(training) == set(TRAINING_PARTS)
    assert all(training[part]["status"] == "ok" for part in TRAINING_PARTS)
    assert training["language"]["data"]["latest"]["overall"]["level"] == "A1"
    assert training["ledger"]["data"] == []
    assert training["qualifications"]["data"] == []


async def test_an_unknown_or_unseen_person_has_no_overview(platform: Platform, registration: Registration) -> None:
    ofii, person = await _registered(platform, registration)
    # Training answers OFII for any id; the person registry says there is no such person.
    unknown = await _overview(platform, ofii, str(uuid.uuid4()))
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "urn:hope:problem:not-found"
    other_ofii = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    assert (await _overview(platform, other_ofii, person)).status_code == 404
    malformed = await platform.http.get("/api/beneficiaries/not-a-uuid/overview", headers=await platform.headers(ofii))
    assert malformed.status_code == 422
    assert malformed.headers["content-type"].startswith("application/problem+json")


async def test_parts_outside_the_tokens_scopes_are_marked_and_not_asked(
    platform: Platform, registration: Registration
) -> None:
    ofii, person = await _registered(platform, registration)
    enrolment_only = await _overview(platform, ofii, person, scope="enrolment:read")
    assert enrolment_only.status_code == 200, enrolment_only.text
    sources = enrolment_only.json()["sources"]
    assert sources["enrolment"]["beneficiary"]["status"] == "ok"
    not_asked = {"status": "out_of_scope", "http_status": None, "data": None}
    assert sources["training"] == dict.fromkeys(TRAINING_PARTS, not_asked)
    assert enrolment_only.json()["partial"] is False

    training_only = await _overview(platform, ofii, person, scope="training:read")
    assert training_only.status_code == 200, training_only.text
    sources = training_only.json()["sources"]
    assert sources["enrolment"]["beneficiary"] == not_asked
    assert sources["training"]["language"]["data"]["latest"]["overall"]["level"] == "A1"

    neither = await _overview(platform, ofii, person, scope="enrolment:write training:write")
    assert neither.status_code == 403
    assert neither.json()["type"] == "urn:hope:problem:insufficient-scope"
    assert neither.json()["required_scopes"] == ["enrolment:read", "training:read"]
    assert 'scope="enrolment:read training:read"' in neither.headers["www-authenticate"]

    # Pointed at the stub, a part out of scope leaves no trace there: it was not asked.
    upstreams = {**platform.settings.upstreams, "training": platform.settings.upstreams["stub"]}
    # Enrolment must answer here (without it there is no overview): a slow first call on a loaded machine is no
    # outage, so this gateway waits longer than the platform's one-second read timeout.
    settings = platform.settings.model_copy(update={"upstreams": upstreams, "upstream_read_timeout_s": 10.0})
    async with running(create_app(settings)) as gateway:
        token = await platform.token(ofii, scope="enrolment:read")
        STUB_SEEN.clear()
        response = await gateway.get(f"/api/beneficiaries/{person}/overview", headers=_bearer(token))
        assert response.status_code == 200
        assert not [path for path in STUB_SEEN if person in path]


TIMEOUT_S = 1.0  # the slow stub takes 5 s: a part asked one after another would cost 3 s


async def test_a_failed_service_leaves_its_parts_empty_and_the_answer_partial(
    platform: Platform, registration: Registration
) -> None:
    ofii, person = await _registered(platform, registration)
    headers = await platform.headers(ofii)
    upstreams = dict(platform.settings.upstreams)
    slow = upstreams["stub"] + "/v1/slow?"
    cases = [("training", upstreams["down"], "unavailable"), ("training", slow, "timeout")]
    for service, address, status in cases:
        settings = platform.settings.model_copy(
            update={"upstreams": {**upstreams, service: address}, "overview_timeout_s": TIMEOUT_S}
        )
        async with running(create_app(settings)) as gateway:
            started = time.monotonic()
            response = await gateway.get(f"/api/beneficiaries/{person}/overview", headers=headers)
            elapsed = time.monotonic() - started
        assert response.status_code == 200, (service, status, response.text)
        overview = response.json()
        assert overview["partial"] is True
        failed = overview["sources"][service]
        assert all(part["status"] == status and part["data"] is None for part in failed.values()), failed
        healthy = overview["sources"]["training" if service == "enrolment" else "enrolment"]
        assert all(part["status"] == "ok" for part in healthy.values()), healthy
        # Asked at once: three slow training parts cost one timeout, not three (room for a loaded machine).
        assert elapsed < 2.5 * TIMEOUT_S, elapsed


async def test_without_enrolment_there_is_no_overview_but_a_503_even_for_a_random_id(
    platform: Platform, registration: Registration
) -> None:
    """Enrolment decides whether there is anyone to show: when it does not answer, the gateway cannot tell a
    person from a random id, so it answers neither 200 "partial" nor 404, but 503."""
    ofii, person = await _registered(platform, registration)
    headers = await platform.headers(ofii)
    upstreams = dict(platform.settings.upstreams)
    for address in (upstreams["down"], upstreams["stub"] + "/v1/slow?"):
        settings = platform.settings.model_copy(
            update={"upstreams": {**upstreams, "enrolment": address}, "overview_timeout_s": 0.5}
        )
        async with running(create_app(settings)) as gateway:
            for wanted in (person, str(uuid.uuid4())):
                response = await gateway.get(f"/api/beneficiaries/{wanted}/overview", headers=headers)
                assert response.status_code == 503, (address, response.text)
                assert response.headers["content-type"].startswith("application/problem+json")
                assert "retry-after" in response.headers
