"""The admin API's creating POSTs honour ``Idempotency-Key`` as every service's do: the same key with the same
request gets the first answer again and creates nothing; with another request it is 422. The kept answers hold
secrets (a client's, an invitation link), so they are kept sealed."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gateway_service.adapters.tables import kit
from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Credentials, Platform
from .people import signed_in_person

pytestmark = pytest.mark.integration

CREATING = (
    "/admin/v1/organisations",
    "/admin/v1/organisations/{org_id}/clients",
    "/admin/v1/organisations/{org_id}/people",
    "/admin/v1/people/{person_id}/invitations",
)


def _keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


def _replayed(first: httpx.Response, again: httpx.Response) -> None:
    assert first.status_code == 201, first.text
    assert again.status_code == 201, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.json() == first.json()


def _reused(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("idempotency-key-reused")


async def _organisations(platform: Platform) -> list[dict[str, Any]]:
    """This module's organisations (its platform is its own): fewer than a page."""
    listed = await platform.http.get(
        "/admin/v1/organisations?limit=200", headers=await platform.headers(platform.admin)
    )
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


async def _kept_answers(platform: Platform) -> list[Any]:
    async with platform.gateway_app.state.uow_factory() as uow:
        rows = (await uow.connection.execute(select(kit.idempotency.c.response))).scalars().all()
    return list(rows)


async def test_an_organisation_created_again_with_the_same_key_is_the_first_one(platform: Platform) -> None:
    headers = _keyed(await platform.headers(platform.admin), f"org-{uuid.uuid4()}")
    name = f"Retried SA {uuid.uuid4().hex[:8]}"
    body = {"name": name, "org_kind": OrgKind.EMPLOYER.value}

    first = await platform.http.post("/admin/v1/organisations", json=body, headers=headers)
    again = await platform.http.post("/admin/v1/organisations", json=body, headers=headers)
    other = await platform.http.post("/admin/v1/organisations", json={**body, "name": name + " bis"}, headers=headers)

    _replayed(first, again)
    _reused(other)
    named = [o for o in await _organisations(platform) if o["name"].startswith(name)]
    assert [o["id"] for o in named] == [first.json()["id"]]


async def test_a_client_created_again_gets_the_same_working_secret_and_no_second_client(platform: Platform) -> None:
    org_id = await platform.organisation(OrgKind.TRAINING_PROVIDER)
    headers = _keyed(await platform.headers(platform.admin), "client-of-the-school")
    url = f"/admin/v1/organisations/{org_id}/clients"
    body = {"name": "school system", "roles": ["writer"], "scopes": ["training:read"]}

    first = await platform.http.post(url, json=body, headers=headers)
    again = await platform.http.post(url, json=body, headers=headers)
    other = await platform.http.post(url, json={**body, "roles": ["reader"]}, headers=headers)

    _replayed(first, again)
    _reused(other)
    clients = (await platform.http.get(url, headers=await platform.headers(platform.admin))).json()["items"]
    assert [c["client_id"] for c in clients] == [first.json()["client_id"]]
    replayed = Credentials(again.json()["client_id"], again.json()["client_secret"], org_id)
    assert await platform.token(replayed)
    # The secret is kept to be replayed, sealed: nowhere in the stored answers in clear.
    kept = repr(await _kept_answers(platform))
    assert first.json()["client_secret"] not in kept
    assert first.json()["client_id"] not in kept


async def test_keys_are_per_client_so_another_admin_with_the_same_key_creates_its_own(platform: Platform) -> None:
    other_admin = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, org_id=platform.admin.org_id)
    key = f"shared-{uuid.uuid4()}"
    body = {"name": f"Twice SA {uuid.uuid4().hex[:8]}", "org_kind": OrgKind.EMPLOYER.value}

    mine = await platform.http.post(
        "/admin/v1/organisations", json=body, headers=_keyed(await platform.headers(platform.admin), key)
    )
    # Another name: two organisations may not share one.
    theirs = await platform.http.post(
        "/admin/v1/organisations",
        json={**body, "name": body["name"] + " bis"},
        headers=_keyed(await platform.headers(other_admin), key),
    )

    assert mine.status_code == theirs.status_code == 201, theirs.text
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.json()["id"] != theirs.json()["id"]


async def test_an_invitation_sent_again_with_the_same_key_is_the_same_person_and_link(platform: Platform) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    headers = _keyed(await platform.headers(platform.admin), "invite-camille")
    email = f"camille-{uuid.uuid4().hex[:8]}@office.example"
    body = {
        "email": email,
        "display_name": "Camille Martin",
        "roles": ["reader"],
        "scopes": ["enrolment:read"],
    }
    url = f"/admin/v1/organisations/{office}/people"

    first = await platform.http.post(url, json=body, headers=headers)
    again = await platform.http.post(url, json=body, headers=headers)
    other = await platform.http.post(url, json={**body, "display_name": "Camille M."}, headers=headers)

    _replayed(first, again)
    _reused(other)
    people = (await platform.http.get(url, headers=await platform.headers(platform.admin))).json()["items"]
    assert [p["id"] for p in people] == [first.json()["person"]["id"]]
    kept = repr(await _kept_answers(platform))
    assert first.json()["invitation_url"].rsplit("/", 1)[1] not in kept
    assert email not in kept

    reinvite = f"/admin/v1/people/{first.json()['person']['id']}/invitations"
    link = await platform.http.post(reinvite, json={}, headers=_keyed(headers, "new-link"))
    link_again = await platform.http.post(reinvite, json={}, headers=_keyed(headers, "new-link"))
    _replayed(link, link_again)
    assert link.json()["invitation_url"] != first.json()["invitation_url"]
    _reused(await platform.http.post(reinvite, json={"reset_second_factor": True}, headers=_keyed(headers, "new-link")))


async def test_a_signed_in_admin_retrying_an_invitation_gets_the_first_answer(platform: Platform) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    admin, _ = await signed_in_person(
        platform.http, await platform.headers(platform.admin), office, "admin", scopes=["enrolment:read"]
    )
    email = f"dominique-{uuid.uuid4().hex[:8]}@office.example"
    body = {"email": email, "display_name": "Dominique", "roles": ["reader"]}
    url = f"/admin/v1/organisations/{office}/people"

    first = await admin.call("POST", url, json=body, headers={"Idempotency-Key": "from-the-page"})
    again = await admin.call("POST", url, json=body, headers={"Idempotency-Key": "from-the-page"})

    _replayed(first, again)


async def test_a_malformed_key_is_refused_before_anything_is_created(platform: Platform) -> None:
    headers = _keyed(await platform.headers(platform.admin), "no spaces allowed")
    name = f"Malformed SA {uuid.uuid4().hex[:8]}"
    response = await platform.http.post(
        "/admin/v1/organisations", json={"name": name, "org_kind": OrgKind.EMPLOYER.value}, headers=headers
    )

    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("invalid-idempotency-key")
    assert name not in {o["name"] for o in await _organisations(platform)}


async def test_an_admin_who_lost_the_right_gets_no_replay_of_what_it_made_before(platform: Platform) -> None:
    former = await platform.client(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, org_id=platform.admin.org_id)
    body = {"name": f"Before SA {uuid.uuid4().hex[:8]}", "org_kind": OrgKind.EMPLOYER.value}
    made = await platform.http.post(
        "/admin/v1/organisations", json=body, headers=_keyed(await platform.headers(former), "before-the-change")
    )
    assert made.status_code == 201, made.text
    changed = await platform.http.patch(
        f"/admin/v1/clients/{former.client_id}",
        json={"roles": ["writer"]},
        headers=await platform.headers(platform.admin),
    )
    assert changed.status_code == 200, changed.text

    retried = await platform.http.post(
        "/admin/v1/organisations", json=body, headers=_keyed(await platform.headers(former), "before-the-change")
    )

    # The route's check of its caller comes first: the kept answer is not a way around it.
    assert retried.status_code == 403, retried.text
    assert "Idempotent-Replayed" not in retried.headers


async def test_the_api_document_describes_the_key_on_every_creating_post(platform: Platform) -> None:
    document = (await platform.http.get("/openapi.json")).json()
    for path in CREATING:
        operation = document["paths"][path]["post"]
        headers = {p["name"].lower(): p for p in operation["parameters"] if p["in"] == "header"}
        assert headers["idempotency-key"]["schema"]["pattern"] == r"^[\x21-\x7e]{1,160}$", path
        assert {"400", "409", "422"} <= operation["responses"].keys(), path
