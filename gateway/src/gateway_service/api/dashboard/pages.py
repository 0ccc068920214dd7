"""/dashboard and its pages: the programme at a glance, cohorts, one cohort, funding, employers and vacancies,
follow-ups due, dropout risks. Server-rendered with the sign-in pages' templates; the charts are drawn in the
browser by Chart.js and dashboard.js, both served by the gateway (no outside address, no inline script)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathPart
from fastapi.responses import FileResponse, Response

from gateway_service.api.dashboard.cohorts import cohort_list, cohort_page
from gateway_service.api.dashboard.downloads import download
from gateway_service.api.dashboard.employment import dropout_risks_page, employers_page, follow_ups_page
from gateway_service.api.dashboard.figures import FileFormat
from gateway_service.api.dashboard.formats import Formats
from gateway_service.api.dashboard.money import funding_page
from gateway_service.api.dashboard.programme import programme
from gateway_service.api.dashboard.sources import Sources
from gateway_service.api.dashboard.timing import PageTiming
from gateway_service.api.dashboard.view import DIMENSIONS, Chosen, View
from gateway_service.api.dashboard_codes import CHOICES
from gateway_service.api.messages import translator
from gateway_service.api.web import SESSION_COOKIE, language, redirect, render, signed_in
from gateway_service.routing.proxy import within_rate_limit
from gateway_service.service_layer.person_sessions import SignedIn
from hopekit.api.pagination import CURSOR_PATTERN

router = APIRouter(include_in_schema=False)
Translate = Callable[[str], str]
# Where a long list's screen starts: the service's cursor, from the link to the next screen (api.dashboard.sources).
After = Annotated[str | None, Query(max_length=512, pattern=CURSOR_PATTERN)]
# What a page shows, from the services as the person sees them and the person's words.
Build = Callable[[Sources, Translate], Awaitable[dict[str, Any]]]

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
        choices=CHOICES,
        pages=PAGES,
        formats=Formats(lang),
        scripts=True,
        **context,
    )
    response.headers["Content-Security-Policy"] = DASHBOARD_CSP
    return response


async def _show(request: Request, view: View, template: str, build: Build) -> Response:
    """The page, built from the services' answers to the signed-in person; or where they must go first."""
    timing = PageTiming()
    person = await _person(request)
    if isinstance(person, Response):
        return person
    found = await build(Sources(request, person, timing), translator(language(request, person)))
    rendering = time.perf_counter()
    response = _page(request, person, template, view, **found)
    timing.render_s = time.perf_counter() - rendering
    response.headers["Server-Timing"] = timing.header()
    return response


@router.get("/dashboard")
async def programme_page(request: Request, view: Chosen) -> Response:
    return await _show(request, view, "dashboard/programme.html", lambda sources, t: programme(sources, t, view))


@router.get("/dashboard/cohorts")
async def cohorts_page(request: Request, view: Chosen, after: After = None) -> Response:
    async def build(sources: Sources, t: Translate) -> dict[str, Any]:
        return {"cohorts": await cohort_list(sources, view, after), "after": after}

    return await _show(request, view, "dashboard/cohorts.html", build)


@router.get("/dashboard/cohorts/{cohort_id}")
async def one_cohort_page(request: Request, cohort_id: UUID, view: Chosen) -> Response:
    return await _show(
        request, view, "dashboard/cohort.html", lambda sources, t: cohort_page(sources, t, cohort_id, view)
    )


@router.get("/dashboard/funding")
async def money_page(request: Request, view: Chosen) -> Response:
    return await _show(request, view, "dashboard/funding.html", lambda sources, t: funding_page(sources, t, view))


@router.get("/dashboard/employers")
async def employers(request: Request, view: Chosen) -> Response:
    return await _show(request, view, "dashboard/employers.html", lambda sources, t: employers_page(sources, t, view))


@router.get("/dashboard/follow-ups")
async def follow_ups(request: Request, view: Chosen) -> Response:
    return await _show(request, view, "dashboard/follow_ups.html", follow_ups_page)


@router.get("/dashboard/dropout-risks")
async def dropout_risks(request: Request, view: Chosen, after: After = None) -> Response:
    async def build(sources: Sources, t: Translate) -> dict[str, Any]:
        return {**await dropout_risks_page(sources, after), "after": after}

    return await _show(request, view, "dashboard/dropout_risks.html", build)


@router.get("/dashboard/downloads/{figure}")
async def figure_download(
    request: Request,
    figure: Annotated[str, PathPart(max_length=64)],
    view: Chosen,
    file_format: Annotated[FileFormat, Query(alias="format")] = "csv",
    cohort: UUID | None = None,
) -> Response:
    """A figure that is not reporting's, as the page shows it to the person, as a CSV or XLSX file."""
    person = await _person(request)
    if isinstance(person, Response):
        return person
    lang = language(request, person)
    return await download(request, person, view, figure, file_format, cohort, translator(lang), lang)


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
