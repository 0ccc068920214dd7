"""What sign-in refuses: too many failures (the account locks), too many attempts from one address, forms without
their CSRF token, links used or replaced, passwords too weak, and admin requests that are malformed or aim at
another organisation."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from gateway_service.adapters.tables import kit
from gateway_service.cli import create_first_admin
from gateway_service.domain.scopes import vocabulary
from gateway_service.main import create_app
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import running

from .conftest import GATEWAY_ROOT, Platform, fresh_database
from .people import PASSWORD, Browser, invite

pytestmark = pytest.mark.integration

READER = ["enrolment:read"]


async def _accepted(platform: Platform, *roles: str) -> tuple[Browser, dict[str, object]]:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    invited = await invite(platform.http, await platform.headers(platform.admin), office, *roles, scopes=READER)
    browser = Browser(platform.http)
    assert (await browser.accept(str(invited["invitation_url"]))).status_code == 303
    return browser, invited


def _problem(response: httpx.Response, status: int, kind: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith(kind)


async def test_the_account_locks_after_five_failures_and_refuses_even_the_right_password(platform: Platform) -> None:
    browser, invited = await _accepted(platform, "reader")
    email = invited["person"]["email"]  # type: ignore[index]

    failures = [await browser.sign_in(email, "not the password at all") for _ in range(5)]
    right_but_locked = await browser.sign_in(email)

    assert [failure.status_code for failure in failures] == [401] * 5
    assert right_but_locked.status_code == 401
    # Locked or wrong: the page says the same, so that nobody learns which addresses have accounts.
    assert (
        failures[0].text.split("<main>")[1].split("<form")[0]
        == right_but_locked.text.split("<main>")[1].split("<form")[0]
    )
    async with platform.gateway_app.state.uow_factory() as uow:
        rows = await uow.connection.execute(
            select(kit.audit.c.action, kit.audit.c.reason).where(
                kit.audit.c.object_id == str(invited["person"]["id"])  # type: ignore[index]
            )
        )
        audited = [(row.action, (row.reason or "").split(";")[0]) for row in rows]
    assert audited.count(("sign_in_failed", "bad_password")) == 5
    assert ("lockout", "5 failures") in audited
    assert ("sign_in_failed", "locked") in audited
    person = await platform.http.get(
        f"/admin/v1/people/{invited['person']['id']}",  # type: ignore[index]
        headers=await platform.headers(platform.admin),
    )
    assert person.json()["locked"] is True


async def test_an_unknown_address_is_refused_like_a_wrong_password_and_audited_without_it(platform: Platform) -> None:
    browser = Browser(platform.http)

    refused = await browser.sign_in("nobody-here@partner.example", PASSWORD)

    assert refused.status_code == 401
    async with platform.gateway_app.state.uow_factory() as uow:
        rows = await uow.connection.execute(select(kit.audit.c.reason).where(kit.audit.c.actor == "anonymous"))
        reasons = [row.reason for row in rows]
    assert any(reason.startswith("unknown_account") for reason in reasons)
    assert not any("nobody-here" in reason for reason in reasons)


@pytest.fixture
async def strict_gateway(platform: Platform, postgres_admin_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway of its own that lets one address try three times per window."""
    async with fresh_database(postgres_admin_url, GATEWAY_ROOT) as database:
        settings = platform.settings.model_copy(
            update={"database_url": database, "sign_in_attempts_per_address": 3, "kafka_bootstrap": None}
        )
        app = create_app(settings)
        async with running(app) as http:
            await create_first_admin(app.state.uow_factory, "AKTO", "admin", vocabulary(settings.upstreams))
            yield http


async def test_one_address_is_throttled_whichever_accounts_it_tries(strict_gateway: httpx.AsyncClient) -> None:
    browser = Browser(strict_gateway)

    attempts = [await browser.sign_in(f"someone-{n}@partner.example", "a wrong password") for n in range(4)]

    assert [attempt.status_code for attempt in attempts] == [401, 401, 401, 429]
    assert int(attempts[-1].headers["retry-after"]) > 0


async def test_forms_without_their_csrf_token_are_refused_with_a_problem(platform: Platform) -> None:
    browser, invited = await _accepted(platform, "reader")
    email = str(invited["person"]["email"])  # type: ignore[index]
    page = await browser.get("/sign-in")
    assert page.status_code == 200

    no_token = await platform.http.post(
        "/sign-in", data={"email": email, "password": PASSWORD}, headers={"Cookie": browser.cookies_header()}
    )
    forged = await platform.http.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": "0" * 64},
        headers={"Cookie": browser.cookies_header()},
    )
    # A token from one browser is worth nothing in another (bound to the browser's own cookie).
    other = Browser(platform.http)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', (await other.get("/sign-in")).text)
    assert token is not None
    borrowed = await platform.http.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )

    for refused in (no_token, forged, borrowed):
        _problem(refused, 403, "csrf-token-invalid")
    assert (await browser.sign_in(email)).status_code == 303
    _problem(
        await platform.http.post("/sign-out", headers={"Cookie": browser.cookies_header()}), 403, "csrf-token-invalid"
    )


async def test_an_invitation_link_works_once_and_a_new_one_replaces_it(platform: Platform) -> None:
    admin = await platform.headers(platform.admin)
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    invited = await invite(platform.http, admin, office, "reader", scopes=READER)
    browser = Browser(platform.http)
    first_link = str(invited["invitation_url"])

    weak = await browser.accept(first_link, "short")
    assert weak.status_code == 422
    assert "12" in weak.text
    assert (await browser.accept(first_link)).status_code == 303
    used = await browser.accept(first_link, "another long passphrase here")
    assert used.status_code == 404
    renewed = await platform.http.post(
        f"/admin/v1/people/{invited['person']['id']}/invitations", json={}, headers=admin
    )
    assert renewed.status_code == 201, renewed.text
    second_link = renewed.json()["invitation_url"]
    third = await platform.http.post(f"/admin/v1/people/{invited['person']['id']}/invitations", json={}, headers=admin)

    assert (await browser.get("/" + second_link.split("/", 3)[3])).status_code == 404
    assert (await browser.accept(third.json()["invitation_url"], "a brand new passphrase")).status_code == 303
    assert (await browser.sign_in(str(invited["person"]["email"]), "a brand new passphrase")).status_code == 303


async def test_bad_admin_requests_are_problems_and_store_nothing(platform: Platform) -> None:
    admin = await platform.headers(platform.admin)
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    url = f"/admin/v1/organisations/{office}/people"
    base = {"email": "ok@partner.example", "display_name": "Camille", "roles": ["reader"], "scopes": READER}

    bad = [
        {**base, "email": "not-an-address"},
        {**base, "roles": ["superuser"]},
        {**base, "roles": []},
        {**base, "scopes": ["payroll:read"]},
        {**base, "display_name": "tab\there"},
        {**base, "surprise": 1},
    ]
    answers = [await platform.http.post(url, json=body, headers=admin) for body in bad]

    assert [answer.status_code for answer in answers] == [422] * len(bad)
    for answer in answers:
        assert answer.headers["content-type"].startswith("application/problem+json")
    listed = await platform.http.get(url, headers=admin)
    assert listed.json()["items"] == []
    assert (await platform.http.post(url, json=base, headers=admin)).status_code == 201
    _problem(
        await platform.http.post(url, json={**base, "email": "OK@partner.example"}, headers=admin), 409, "conflict"
    )
    missing = await platform.http.post("/sign-in", data={"email": "x@partner.example"})
    assert missing.status_code == 422
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_an_organisations_admin_invites_its_own_people_with_no_more_than_its_own_scopes(
    platform: Platform,
) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    other = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    own_admin = await platform.client(
        OrgKind.IMMIGRATION_OFFICE, Role.ADMIN, org_id=office, scopes=["enrolment:read", "enrolment:write"]
    )
    headers = await platform.headers(own_admin)
    body = {"email": "", "display_name": "Camille", "roles": ["writer"], "scopes": ["enrolment:read"]}

    own = await platform.http.post(
        f"/admin/v1/organisations/{office}/people", json={**body, "email": "own@office.example"}, headers=headers
    )
    elsewhere = await platform.http.post(
        f"/admin/v1/organisations/{other}/people", json={**body, "email": "else@office.example"}, headers=headers
    )
    too_wide = await platform.http.post(
        f"/admin/v1/organisations/{office}/people",
        json={**body, "email": "wide@office.example", "scopes": ["training:write"]},
        headers=headers,
    )
    writer = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER, org_id=office)
    not_admin = await platform.http.get(
        f"/admin/v1/organisations/{office}/people", headers=await platform.headers(writer)
    )

    assert own.status_code == 201, own.text
    _problem(elsewhere, 404, "not-found")
    _problem(too_wide, 422, "unknown-scope")
    _problem(not_admin, 403, "forbidden-role")
    # The operator's admin API for clients stays the operator's.
    _problem(
        await platform.http.get(f"/admin/v1/organisations/{office}", headers=headers),
        403,
        "forbidden-organisation-kind",
    )
