"""People sign in and call the platform as themselves: invitation, password, second factor for admins, the same
answers as their organisation's clients, nothing of another organisation's, and sign-out that ends it all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from gateway_service.adapters.tables import kit, person_sessions
from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Platform, Registration
from .people import PASSWORD, Browser, invite, signed_in_person

pytestmark = pytest.mark.integration

OFII_SCOPES = ["enrolment:read", "enrolment:write"]


async def _audited(platform: Platform, object_id: str) -> list[str]:
    async with platform.gateway_app.state.uow_factory() as uow:
        rows = await uow.connection.execute(
            select(kit.audit.c.action).where(kit.audit.c.object_id == object_id).order_by(kit.audit.c.at)
        )
        return [row.action for row in rows]


async def test_an_invited_admin_sets_a_password_and_a_second_factor_then_reads_what_the_office_client_reads(
    platform: Platform, registration: Registration
) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    system = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER, org_id=office, scopes=OFII_SCOPES)
    client_headers = await platform.headers(system)
    created = await platform.http.post("/api/enrolment/v1/beneficiaries", json=registration(), headers=client_headers)
    assert created.status_code == 201, created.text
    beneficiary = created.json()["id"]
    invited = await invite(
        platform.http, await platform.headers(platform.admin), office, "admin", "writer", scopes=OFII_SCOPES
    )
    person_id = invited["person"]["id"]
    browser = Browser(platform.http)

    accepted = await browser.accept(invited["invitation_url"])
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/sign-in?notice=password_set"
    signed = await browser.sign_in(invited["person"]["email"].upper())

    # An admin has a password: not enough. The session only opens the second factor's pages.
    assert signed.status_code == 303
    assert signed.headers["location"] == "/second-factor/setup"
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert (await browser.get("/dashboard")).headers["location"] == "/sign-in/second-factor"
    assert (await browser.get("/sign-in/second-factor")).headers["location"] == "/second-factor/setup"
    early = await browser.call("GET", f"/api/enrolment/v1/beneficiaries/{beneficiary}", csrf=False)
    assert early.status_code == 401, early.text
    pending_cookie = browser.cookies["hope_session"]

    done = await browser.set_up_second_factor()
    assert done.status_code == 303
    assert done.headers["location"] == "/dashboard"
    # The cookie changes with the privilege: the half-signed-in one is worth nothing now.
    assert browser.cookies["hope_session"] != pending_cookie
    home = await browser.get("/dashboard")
    assert home.status_code == 200
    assert invited["person"]["email"] in home.text
    assert "immigration_office" in home.text

    as_person = await browser.call("GET", f"/api/enrolment/v1/beneficiaries/{beneficiary}", csrf=False)
    as_client = await platform.http.get(f"/api/enrolment/v1/beneficiaries/{beneficiary}", headers=client_headers)
    assert as_person.status_code == 200, as_person.text
    assert as_person.json() == as_client.json()
    assert "set-cookie" not in as_person.headers
    # An admin person invites a colleague from their session, with the page's CSRF token.
    colleague = {"email": "colleague@office.example", "display_name": "Sam", "roles": ["reader"], "scopes": []}
    without = await browser.call("POST", f"/admin/v1/organisations/{office}/people", csrf=False, json=colleague)
    assert without.status_code == 403
    with_token = await browser.call("POST", f"/admin/v1/organisations/{office}/people", json=colleague)
    assert with_token.status_code == 201, with_token.text
    audited = await _audited(platform, person_id)
    for action in ("invite", "accept_invitation", "password_accepted", "second_factor_enrolled", "sign_in"):
        assert action in audited, audited


async def test_a_person_writes_with_the_csrf_token_and_is_refused_without_it(
    platform: Platform, registration: Registration
) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    browser, _ = await signed_in_person(
        platform.http, await platform.headers(platform.admin), office, "writer", scopes=OFII_SCOPES
    )

    refused = await browser.call("POST", "/api/enrolment/v1/beneficiaries", csrf=False, json=registration())
    made = await browser.call("POST", "/api/enrolment/v1/beneficiaries", json=registration())

    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("csrf-token-invalid")
    assert made.status_code == 201, made.text
    # The services applied the office's own rule: the person it registered is its own.
    again = await browser.call("GET", f"/api/enrolment/v1/beneficiaries/{made.json()['id']}", csrf=False)
    assert again.status_code == 200


async def test_a_person_of_another_office_does_not_see_the_first_offices_people(
    platform: Platform, registration: Registration
) -> None:
    first = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER, scopes=OFII_SCOPES)
    created = await platform.http.post(
        "/api/enrolment/v1/beneficiaries", json=registration(), headers=await platform.headers(first)
    )
    beneficiary = created.json()["id"]
    other_office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    browser, _ = await signed_in_person(
        platform.http, await platform.headers(platform.admin), other_office, "writer", scopes=OFII_SCOPES
    )

    read = await browser.call("GET", f"/api/enrolment/v1/beneficiaries/{beneficiary}", csrf=False)
    listed = await browser.call("GET", "/api/enrolment/v1/beneficiaries", csrf=False)
    overview = await browser.call("GET", f"/api/beneficiaries/{beneficiary}/overview", csrf=False)

    assert read.status_code == 404
    assert beneficiary not in {item["id"] for item in listed.json()["items"]}
    assert overview.status_code == 404


async def test_a_person_has_the_scopes_they_were_given_not_more(platform: Platform) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    browser, _ = await signed_in_person(
        platform.http, await platform.headers(platform.admin), office, "reader", scopes=["enrolment:read"]
    )

    refused = await browser.call("GET", "/api/training/v1/courses", csrf=False)

    assert refused.status_code == 403
    assert refused.json()["required_scopes"] == ["training:read"]


async def test_sign_out_ends_the_session_on_the_server(platform: Platform) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    browser, invited = await signed_in_person(
        platform.http, await platform.headers(platform.admin), office, "reader", scopes=["enrolment:read"]
    )
    old_cookie = browser.cookies["hope_session"]
    assert (await browser.call("GET", "/api/enrolment/v1/sectors", csrf=False)).status_code == 200

    signed_out = await browser.post_form("/sign-out", {}, csrf_from="/dashboard")

    assert signed_out.status_code == 303
    assert "hope_session" not in browser.cookies
    # The old cookie, kept by someone who copied it, is worth nothing.
    replayed = await platform.http.get("/api/enrolment/v1/sectors", headers={"Cookie": f"hope_session={old_cookie}"})
    assert replayed.status_code == 401
    assert replayed.headers["content-type"].startswith("application/problem+json")
    home = await platform.http.get("/dashboard", headers={"Cookie": f"hope_session={old_cookie}"})
    assert home.headers["location"] == "/sign-in?notice=session_ended"
    async with platform.gateway_app.state.uow_factory() as uow:
        ended = await uow.connection.execute(
            select(person_sessions.c.end_reason).where(person_sessions.c.person_id == invited["person"]["id"])
        )
        assert "signed_out" in {row.end_reason for row in ended}
    assert "sign_out" in await _audited(platform, invited["person"]["id"])


async def test_deactivating_the_person_or_their_organisation_ends_their_sessions_at_once(platform: Platform) -> None:
    admin = await platform.headers(platform.admin)
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    person, invited = await signed_in_person(platform.http, admin, office, "reader", scopes=["enrolment:read"])
    colleague, _ = await signed_in_person(platform.http, admin, office, "reader", scopes=["enrolment:read"])

    deactivated = await platform.http.patch(
        f"/admin/v1/people/{invited['person']['id']}", json={"active": False}, headers=admin
    )
    assert deactivated.status_code == 200, deactivated.text
    assert (await person.call("GET", "/api/enrolment/v1/sectors", csrf=False)).status_code == 401
    assert (await colleague.call("GET", "/api/enrolment/v1/sectors", csrf=False)).status_code == 200
    assert (await person.sign_in(invited["person"]["email"])).status_code == 401

    closed = await platform.http.patch(f"/admin/v1/organisations/{office}", json={"active": False}, headers=admin)
    assert closed.status_code == 200, closed.text
    assert (await colleague.call("GET", "/api/enrolment/v1/sectors", csrf=False)).status_code == 401


async def test_a_role_change_is_audited_and_ends_the_sessions(platform: Platform) -> None:
    admin = await platform.headers(platform.admin)
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    browser, invited = await signed_in_person(platform.http, admin, office, "reader", scopes=["enrolment:read"])
    person_id = invited["person"]["id"]

    changed = await platform.http.patch(
        f"/admin/v1/people/{person_id}", json={"roles": ["admin"], "scopes": OFII_SCOPES}, headers=admin
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["roles"] == ["admin"]
    assert (await browser.call("GET", "/api/enrolment/v1/sectors", csrf=False)).status_code == 401
    # Now an admin: the next sign-in asks for a second factor.
    signed = await browser.sign_in(invited["person"]["email"])
    assert signed.headers["location"] == "/second-factor/setup"
    assert "change_roles" in await _audited(platform, person_id)


async def test_a_session_idle_too_long_ends_and_signing_in_again_replaces_the_browsers_session(
    platform: Platform,
) -> None:
    office = await platform.organisation(OrgKind.IMMIGRATION_OFFICE)
    browser, invited = await signed_in_person(
        platform.http, await platform.headers(platform.admin), office, "reader", scopes=["enrolment:read"]
    )
    first = browser.cookies["hope_session"]
    # Signed in again in the same browser (another tab's sign-in form, say).
    again = await browser.post_form(
        "/sign-in", {"email": invited["person"]["email"], "password": PASSWORD}, csrf_from="/dashboard"
    )
    assert again.status_code == 303
    assert browser.cookies["hope_session"] != first
    replaced = await platform.http.get("/api/enrolment/v1/sectors", headers={"Cookie": f"hope_session={first}"})
    assert replaced.status_code == 401

    # Half an hour without a request, as the idle timeout counts it.
    async with platform.gateway_app.state.uow_factory() as uow:
        await uow.connection.execute(
            update(person_sessions)
            .where(person_sessions.c.person_id == invited["person"]["id"], person_sessions.c.ended_at.is_(None))
            .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31))
        )
        await uow.commit()

    idle = await browser.call("GET", "/api/enrolment/v1/sectors", csrf=False)

    assert idle.status_code == 401
    async with platform.gateway_app.state.uow_factory() as uow:
        reasons = await uow.connection.execute(
            select(person_sessions.c.end_reason).where(person_sessions.c.person_id == invited["person"]["id"])
        )
        assert sorted(row.end_reason for row in reasons) == ["idle_timeout", "replaced"]
