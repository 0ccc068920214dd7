"""The pages a person signs in and out with (the dashboard's pages are in api.dashboard). Forms post back with a
CSRF token; every attempt, good or bad, is audited by the use cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, Response

from gateway_service.api.token_throttle import TokenThrottle
from gateway_service.api.web import (
    LANG_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    forget_cookie,
    local_path,
    redirect,
    render,
    set_cookie,
    settings_of,
    signed_in,
)
from gateway_service.domain.people import LOCALES, LockoutPolicy
from gateway_service.service_layer.sign_in import NextStep, SignInResult, sign_in, sign_out
from hopekit.api.problems import Problem

router = APIRouter(include_in_schema=False)

_ASSETS = Path(__file__).parent / "assets"
# The notices a redirect may ask the sign-in page to show (a query parameter names one, it carries no text).
_NOTICES = frozenset({"signed_out", "password_set", "session_ended"})
_NEXT_PAGE = {
    NextStep.DONE: "/dashboard",
    NextStep.SECOND_FACTOR: "/sign-in/second-factor",
    NextStep.SECOND_FACTOR_SETUP: "/second-factor/setup",
}
CsrfField = Annotated[str | None, Form(max_length=128)]


def lockout_policy(request: Request) -> LockoutPolicy:
    settings = settings_of(request)
    return LockoutPolicy(settings.sign_in_max_failures, timedelta(seconds=settings.sign_in_lockout_s))


def address_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def throttled(request: Request) -> Response | None:
    """A page saying to wait, when this address made too many attempts; else None."""
    throttle: TokenThrottle = request.app.state.sign_in_throttle
    wait = await throttle.retry_after(address_of(request), None)
    if wait is None:
        return None
    page = render(request, "sign_in.html", status_code=429, errors=["too_many_attempts"])
    page.headers["Retry-After"] = str(wait)
    return page


def signed_in_page(request: Request, result: SignInResult) -> Response:
    assert result.session_token is not None
    assert result.next_step is not None
    response = redirect(_NEXT_PAGE[result.next_step])
    set_cookie(response, request, SESSION_COOKIE, result.session_token)
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, notice: str | None = None) -> Response:
    session = await signed_in(request)
    if session is not None and session.session.complete:
        return redirect("/dashboard")
    return render(request, "sign_in.html", notice=notice if notice in _NOTICES else None)


@router.post("/sign-in")
async def sign_in_form(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(request, csrf_token)
    if (wait := await throttled(request)) is not None:
        return wait
    previous = await signed_in(request)
    now = datetime.now(UTC)
    async with request.app.state.uow_factory() as uow:
        result = await sign_in(uow, email, password, now, lockout_policy(request), address_of(request))
        if previous is not None and not result.refused:
            # One session per browser: the one this sign-in replaces ends now, not at its timeout.
            await uow.sessions.end(previous.session.id, now, "replaced")
        await uow.commit()
    if result.refused:
        return render(request, "sign_in.html", status_code=401, errors=["sign_in_failed"], email=email)
    return signed_in_page(request, result)


@router.post("/sign-out")
async def sign_out_form(request: Request, csrf_token: CsrfField = None) -> Response:
    check_csrf(request, csrf_token)
    session = await signed_in(request)
    if session is not None:
        async with request.app.state.uow_factory() as uow:
            await sign_out(uow, session.session, datetime.now(UTC))
            await uow.commit()
    response = redirect("/sign-in?notice=signed_out")
    forget_cookie(response, request, SESSION_COOKIE)
    return response


@router.post("/language")
async def choose_language(
    request: Request,
    lang: Annotated[str, Form(max_length=5)],
    next: Annotated[str | None, Form(max_length=2000)] = None,
    csrf_token: CsrfField = None,
) -> Response:
    check_csrf(request, csrf_token)
    if lang not in LOCALES:
        raise Problem(422, "unknown-language", f"The pages are in {' and '.join(LOCALES)}.")
    session = await signed_in(request)
    if session is not None and session.session.complete:
        # Remembered for the person too: their next browser starts in it.
        async with request.app.state.uow_factory() as uow:
            person = await uow.people.get(session.person.id)
            if person is not None:
                person.locale = lang
                await uow.people.save(person)
            await uow.commit()
    response = redirect(local_path(next, "/sign-in"))
    set_cookie(response, request, LANG_COOKIE, lang, max_age=365 * 24 * 3600)
    return response


@router.get("/assets/hope.css")
async def stylesheet() -> Response:
    return FileResponse(_ASSETS / "hope.css", media_type="text/css", headers={"Cache-Control": "max-age=3600"})
