"""/dashboard and its pages: the programme at a glance, cohorts, one cohort, funding, employers and vacancies,
follow-ups due, dropout risks. Server-rendered with the sign-in pages' templates; the charts are drawn in the
browser by Chart.js and dashboard.js, both served by the gateway (no outside address, no inline script)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from gateway_service.api.dashboard.cohorts import cohort_list, cohort_page
from gateway_service.api.dashboard.employment import dropout_risks_page, employers_page, follow_ups_page
from gateway_service.api.dashboard.formats import Formats
from gateway_service.api.dashboard.money import funding_page
from gateway_service.api.dashboard.programme import programme
from gateway_service.api.dashboard.sources import Sources
from gateway_service.api.dashboard.view import DIMENSIONS, Chosen, View
from gateway_service.api.messages import translator
from gateway_service.api.web import SESSION_COOKIE, language, redirect, render, signed_in
from gateway_service.routing.proxy import within_rate_limit
from gateway_service.service_layer.person_sessions import SignedIn

router = APIRouter(include_in_schema=False)

_ASSETS = Path(__file__).parents[1] / "assets"
# The pages' scripts: Chart.js and dashboard.js, from the gateway itself; never inline.
DASHBOARD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGES = (
    ("/dashboard", "page.programme"),
    ("/dashboard/cohorts", "page.cohorts"),
    ("/dashboard/funding", "page.funding"),
    ("/dashboard/employers", "page.employers"),
    ("/dashboard/follow-ups", "page.follow_ups"),
    ("/dashboard/dropout-risks", "page.dropout_risks"),
)


async def _person(request: Request) -> SignedIn | Response:
    """The signed-in person, or where they must go first (sign-in, or their second factor)."""
    session = await signed_in(request)
    if session is not None and not session.session.complete:
        return redirect("/sign-in/second-factor")
    if session is None:
        ended = request.cookies.get(SESSION_COOKIE) is not None
        return redirect("/sign-in?notice=session_ended" if ended else "/sign-in")
    # A page's reads count against the person's rate limit as one call, as the API's callers are counted.
    await within_rate_limit(request.app.state.rate_limiter, session.principal)
    return session


def _page(request: Request, session: SignedIn, template: str, view: View, **context: Any) -> Response:
    lang = language(request, session)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = render(
        request,
        template,
        session,
        here=here,
        view=view,
        dimensions=DIMENSIONS,
        pages=PAGES,
        formats=Formats(lang),
        scripts=True,
        **context,
    )
    response.headers["Content-Security-Policy"] = DASHBOARD_CSP
    return response


@router.get("/dashboard")
async def programme_page(request: Request, view: Chosen) -> Response:
    person = await _person(request)
    if isinstance(person, Response):
        return person
    t = translator(language(request, person))
    found = await programme(Sources(request, person), t, view)
    return _page(request, person, "dashboard/programme.html", view, **found)


@router.get("/dashboard/cohorts")
async def cohorts_page(request: Request, view: Chosen) -> Response:
    person = await _person(request)
    if isinstance(person, Response):
        return person
    found = await cohort_list(Sources(request, person), view)
    return _page(request, person, "dashboard/cohorts.html", view, cohorts=found)


@router.get("/dashboard/cohorts/{cohort_id}")
async def one_cohort_page(request: Request, cohort_id: UUID, view: Chosen) -> Response:
    person = await _person(request)
    if isinstance(person, Response):
        return person
    t = translator(language(request, person))
    found = await cohort_page(Sources(request, person), t, cohort_id, view)
    return _page(request, person, "dashboard/cohort.html", view, **found)


@router.get("/dashboard/funding")
async def money_page(request: Request, view: Chosen) -> Response:
    person = await _person(request)
    if isinstance(person, Response):
        return person
    t = translator(language(request, person))
    found = await funding_page(Sources(request, person), t, view)
    return _page(request, person, "dashboard/funding.html", view, **found)


@router.get("/dashboard/employers")
async def employers(request: Request, view: Chosen) -> Response:
    person = await _person(request)
    if isinstance(person, Response):
        return person
    t = translator(language(request, person))
    found = await employers_page(Sources(request, person), t, view)
    return _page(request, person, "dashboard/employers.html", view, **found)


@router.get("/dashboard/follow-ups")
async def follow_ups(request: Request, view: Chosen) -> Response:
    person = await _person(request)
    if isinstance(person, Response):
        return person
    t = translator(language(request, person))
    found = await follow_ups_page(Sources(request, person), t)
    return _page(request, person, "dashboard/follow_ups.html", view, **found)


@router.get("/dashboard/dropout-risks")
async def dropout_risks(request: Request, view: Chosen) -> Response:
    person = await _person(request)
    if isinstance(person, Response):
        return person
    found = await dropout_risks_page(Sources(request, person))
    return _page(request, person, "dashboard/dropout_risks.html", view, **found)


_SCRIPTS = {
    "dashboard.js": _ASSETS / "dashboard.js",
    "vendor/chart.umd.min.js": _ASSETS / "vendor" / "chartjs" / "chart.umd.min.js",
}


@router.get("/assets/dashboard.js")
async def dashboard_script() -> Response:
    return _script("dashboard.js")


@router.get("/assets/vendor/chart.umd.min.js")
async def chart_script() -> Response:
    return _script("vendor/chart.umd.min.js")


def _script(name: str) -> Response:
    return FileResponse(
        _SCRIPTS[name],
        media_type="text/javascript",
        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"},
    )
