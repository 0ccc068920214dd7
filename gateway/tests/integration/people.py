"""A person in a browser, for the sign-in tests: cookies kept as a browser keeps them (sent back as they were
set, dropped when cleared), forms posted with the CSRF token of the page they came from."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyotp

PASSWORD = "quatre chevaux dans la prairie"
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
_SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
_SEALED = re.compile(r'name="sealed_secret" value="([^"]+)"')


def csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, page.text
    return found.group(1)


@dataclass
class Browser:
    http: httpx.AsyncClient
    cookies: dict[str, str] = field(default_factory=dict)
    totp_secret: str | None = None

    def _keep(self, response: httpx.Response) -> httpx.Response:
        # The shared client's own jar would carry this person's cookies into every other test's requests.
        self.http.cookies.clear()
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if value and "max-age=0" not in header.lower():
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response

    def cookies_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = self.cookies_header()
        return headers

    async def get(self, path: str, **headers: str) -> httpx.Response:
        return self._keep(await self.http.get(path, headers=self._headers(headers)))

    async def post_form(self, path: str, form: dict[str, str], *, csrf_from: str | None = None) -> httpx.Response:
        """The form as the page at ``csrf_from`` (default: ``path``) would post it, its CSRF token included."""
        page = await self.get(csrf_from or path)
        data = {"csrf_token": csrf_of(page), **form}
        return self._keep(await self.http.post(path, data=data, headers=self._headers()))

    async def call(self, method: str, path: str, *, csrf: bool = True, **options: Any) -> httpx.Response:
        """An API call made with the session, as the dashboard's pages will make it."""
        headers = self._headers(options.pop("headers", None))
        if csrf:
            headers["X-CSRF-Token"] = csrf_of(await self.get("/dashboard"))
        response = await self.http.request(method, path, headers=headers, **options)
        self.http.cookies.clear()
        return response

    async def accept(self, invitation_url: str, password: str = PASSWORD) -> httpx.Response:
        path = "/" + invitation_url.split("/", 3)[3]
        return await self.post_form(path, {"password": password, "confirmation": password})

    async def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return await self.post_form("/sign-in", {"email": email, "password": password})

    async def set_up_second_factor(self) -> httpx.Response:
        page = await self.get("/second-factor/setup")
        assert page.status_code == 200, page.text
        secret, sealed = _SECRET.search(page.text), _SEALED.search(page.text)
        assert secret is not None
        assert sealed is not None
        self.totp_secret = secret.group(1).replace(" ", "")
        form = {"csrf_token": csrf_of(page), "sealed_secret": sealed.group(1), "code": self.code()}
        return self._keep(await self.http.post("/second-factor/setup", data=form, headers=self._headers()))

    def code(self) -> str:
        assert self.totp_secret is not None
        return pyotp.TOTP(self.totp_secret).now()


async def invite(
    http: httpx.AsyncClient,
    admin_headers: dict[str, str],
    org_id: uuid.UUID | str,
    *roles: str,
    scopes: list[str],
    email: str | None = None,
) -> dict[str, Any]:
    response = await http.post(
        f"/admin/v1/organisations/{org_id}/people",
        json={
            "email": email or f"person-{uuid.uuid4().hex[:10]}@partner.example",
            "display_name": "Camille Martin",
            "roles": list(roles),
            "scopes": scopes,
        },
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    invited: dict[str, Any] = response.json()
    return invited


async def signed_in_person(
    http: httpx.AsyncClient, admin_headers: dict[str, str], org_id: uuid.UUID | str, *roles: str, scopes: list[str]
) -> tuple[Browser, dict[str, Any]]:
    """A person invited, who accepted and signed in (with a second factor when a role needs one)."""
    invited = await invite(http, admin_headers, org_id, *roles, scopes=scopes)
    browser = Browser(http)
    assert (await browser.accept(invited["invitation_url"])).status_code == 303
    signed = await browser.sign_in(invited["person"]["email"])
    assert signed.status_code == 303, signed.text
    if signed.headers["location"] == "/second-factor/setup":
        assert (await browser.set_up_second_factor()).headers["location"] == "/dashboard"
    return browser, invited
