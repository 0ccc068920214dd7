"""What the sign-in pages share: cookies, CSRF, the person's language, and pages rendered with Jinja2.

Cookies are HttpOnly and SameSite=Strict, Secure outside development. ``hope_session`` holds the session's
random token (the server keeps its hash); ``hope_browser`` a random value that the CSRF token of the pages
shown before sign-in is bound to; ``hope_lang`` the language chosen.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gateway_service.api.dashboard_codes import code_label
from gateway_service.api.messages import MESSAGES, translator
from gateway_service.domain.csrf import SAFE_METHODS, csrf_token, csrf_valid
from gateway_service.domain.people import LOCALES
from gateway_service.service_layer.person_sessions import SessionResolver, SignedIn
from gateway_service.settings import GatewaySettings
from hopekit.api.problems import Problem

SESSION_COOKIE = "hope_session"
BROWSER_COOKIE = "hope_browser"
LANG_COOKIE = "hope_lang"
_UNRESOLVED = object()
_SIGNED_IN = "hope.signed_in"
_NEW_BROWSER = "hope.new_browser"

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

# No outside resource and nothing inline: the pages' one stylesheet is served by the gateway itself.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def settings_of(request: Request) -> GatewaySettings:
    current: GatewaySettings = request.app.state.settings
    return current


def csrf_key(request: Request) -> bytes:
    key: bytes = request.app.state.csrf_key
    return key


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=settings_of(request).cookies_secure,
    )


def forget_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, samesite="strict", secure=settings_of(request).cookies_secure)


async def signed_in(request: Request) -> SignedIn | None:
    """The session behind the request's cookie (complete or awaiting its second factor), once per request."""
    # Kept in the request's scope, not request.state: the lifespan state a server gives each request may be
    # one dict shared by all of them.
    found: SignedIn | object | None = request.scope.get(_SIGNED_IN, _UNRESOLVED)
    if found is _UNRESOLVED:
        resolver: SessionResolver = request.app.state.session_resolver
        found = await resolver.resolve(request.cookies.get(SESSION_COOKIE))
        request.scope[_SIGNED_IN] = found
    return found if isinstance(found, SignedIn) else None


def csrf_binding(request: Request, session: SignedIn | None) -> str:
    """What this browser's CSRF token is bound to: its session, or before sign-in its own random value."""
    if session is not None:
        return "session:" + session.cookie
    browser = request.cookies.get(BROWSER_COOKIE) or request.scope.get(_NEW_BROWSER)
    if browser is None:
        browser = secrets.token_urlsafe(24)
        request.scope[_NEW_BROWSER] = browser
    return "browser:" + browser


def csrf_refused() -> Problem:
    return Problem(403, "csrf-token-invalid", "This form or call lacks a valid CSRF token; reload the page.")


def check_csrf(request: Request, offered: str | None) -> None:
    """403 problem unless ``offered`` is the token of this browser's pages: bound to its session cookie, or to
    its browser cookie (both HttpOnly and SameSite=Strict: another site can neither read nor send them)."""
    key = csrf_key(request)
    bindings = [("session:", request.cookies.get(SESSION_COOKIE)), ("browser:", request.cookies.get(BROWSER_COOKIE))]
    if not any(cookie and csrf_valid(key, kind + cookie, offered) for kind, cookie in bindings):
        raise csrf_refused()


def check_call_csrf(key: bytes, method: str, session_cookie: str, offered: str | None) -> None:
    """A call made with the session cookie: anything but a read carries the page's token in ``X-CSRF-Token``."""
    if method not in SAFE_METHODS and not csrf_valid(key, "session:" + session_cookie, offered):
        raise csrf_refused()


def language(request: Request, session: SignedIn | None = None) -> str:
    """The language chosen in this browser, else the person's own, else the browser's preference (French)."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LOCALES:
        return chosen
    if session is not None and session.person.locale in LOCALES:
        return session.person.locale
    return from_accept_language(request.headers.get("accept-language", ""))


def from_accept_language(header: str) -> str:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LOCALES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "fr"


def render(
    request: Request, template: str, session: SignedIn | None = None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    lang = language(request, session)
    binding = csrf_binding(request, session)
    context.setdefault("here", request.url.path)
    t = translator(lang)
    html = _templates.get_template(template).render(
        t=t,
        label=lambda kind, code: code_label(t, kind, code),
        lang=lang,
        languages=sorted(MESSAGES),
        csrf_token=csrf_token(csrf_key(request), binding),
        signed_in=session,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
    if new_browser := request.scope.get(_NEW_BROWSER):
        set_cookie(response, request, BROWSER_COOKIE, new_browser)
    return response


def redirect(to: str) -> RedirectResponse:
    """303: after a form, the browser GETs the next page."""
    return RedirectResponse(to, status_code=303, headers={"Cache-Control": "no-store"})


def local_path(candidate: str | None, default: str = "/dashboard") -> str:
    """Only a path of this gateway: never an open redirect to another site."""
    if candidate and candidate.startswith("/") and not candidate.startswith(("//", "/\\")):
        return candidate
    return default
