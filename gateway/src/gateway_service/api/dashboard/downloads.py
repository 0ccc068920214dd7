"""Downloads of the dashboard's figures that are not reporting's (funding's agreements and a cohort's money,
employment's demand and follow-ups; reporting's own are its exports): the figure the page shows, built as the
page builds it for the signed-in person, as CSV or XLSX.

The file holds the page's numbers as numbers (euros as decimals, counts as integers), the labels and headings in
the person's language, a suppressed cell as the word the page shows, and a first sheet that says what the figure
is, with which filters and when it was made. Every download is audited, as reporting's exports are: who, which
figure, which format and view.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from gateway_service.api.dashboard.cohorts import cohort_page
from gateway_service.api.dashboard.employment import employers_page, follow_ups_page
from gateway_service.api.dashboard.figures import NO_FIGURE, Figure, FileFormat, Value
from gateway_service.api.dashboard.formats import Formats
from gateway_service.api.dashboard.money import funding_page
from gateway_service.api.dashboard.sources import Fetched, Sources, Status
from gateway_service.api.dashboard.view import View
from gateway_service.service_layer.person_sessions import SignedIn
from hopekit.api.problems import Problem
from hopekit.spreadsheets import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, Cell, Sheet, as_csv, as_xlsx

Translate = Callable[[str], str]
# What the page that shows a figure builds, for the person: (sources, words, view, cohort) -> the page's parts.
PageOf = Callable[[Sources, Translate, View, UUID | None], Awaitable[dict[str, Any]]]
# The audit log's reason column holds 200 characters.
_REASON = 200


async def _cohort(sources: Sources, t: Translate, view: View, cohort_id: UUID | None) -> dict[str, Any]:
    if cohort_id is None:
        raise Problem(422, "cohort-required", "This figure is one cohort's: name it with 'cohort'.")
    return await cohort_page(sources, t, cohort_id, view)


# Each downloadable figure, and the service its numbers come from.
PAGES: dict[str, tuple[str, PageOf]] = {
    "money_by_agreement": ("funding", lambda sources, t, view, _: funding_page(sources, t, view)),
    "cohort_money": ("funding", _cohort),
    "demand_by_sector": ("employment", lambda sources, t, view, _: employers_page(sources, t, view)),
    "follow_ups": ("employment", lambda sources, t, view, _: follow_ups_page(sources, t)),
}


def _figures(found: dict[str, Any]) -> Iterable[Figure]:
    for part in found.values():
        if isinstance(part, Figure):
            yield part
        elif isinstance(part, list):
            yield from (item for item in part if isinstance(item, Figure))


def _missing(found: dict[str, Any]) -> Problem:
    """Why the page has no such figure: a service down (503), or nothing the person may see (404)."""
    statuses = [part.status for part in found.values() if isinstance(part, Fetched)]
    if Status.UNAVAILABLE in statuses or found.get("status") is Status.UNAVAILABLE:
        return Problem(503, "service-unavailable", "The service these figures come from is not available now.")
    return Problem(404, "figure-not-found", "There is no such figure for your organisation.")


def sheets(figure: Figure, t: Translate, formats: Formats, source: str, filters: str) -> list[Sheet]:
    about: list[list[Cell]] = [
        ["figure", figure.key],
        ["title", figure.title],
        ["unit", figure.unit],
        ["source", source],
        ["filters", filters],
        ["made at", datetime.now(UTC).isoformat(timespec="seconds")],
    ]
    suppressed = t("suppressed")
    table: list[list[Cell]] = [[t("group"), *(series.name for series in figure.series)]]
    for index, label in enumerate(figure.shown_labels(formats)):
        table.append([label, *(_cell(s.values[index], suppressed) for s in figure.series)])
    return [Sheet("about", about), Sheet(figure.key, table)]


def _cell(value: Value, suppressed: str) -> Cell:
    if value is None:
        return suppressed
    return "" if value is NO_FIGURE else value


async def download(
    request: Request,
    person: SignedIn,
    view: View,
    key: str,
    file_format: FileFormat,
    cohort_id: UUID | None,
    t: Translate,
    lang: str,
) -> Response:
    known = PAGES.get(key)
    if known is None:
        raise Problem(404, "figure-not-found", "There is no such figure for your organisation.")
    source, page_of = known
    found = await page_of(Sources(request, person), t, view, cohort_id)
    figure = next((figure for figure in _figures(found) if figure.key == key), None)
    if figure is None:
        raise _missing(found)
    filters = "&".join(q for q in (view.query(), urlencode({"cohort": cohort_id} if cohort_id else {})) if q)
    body = sheets(figure, t, Formats(lang), source, filters)
    # Audited before the file leaves: a download that cannot be audited is not given.
    async with request.app.state.uow_factory() as uow:
        uow.audit(
            person.principal, "export", "dashboard_figure", key, reason=f"format={file_format} {filters}"[:_REASON]
        )
        await uow.commit()
    name = f"{key}-{datetime.now(UTC).date().isoformat()}.{file_format}"
    content, media = (as_csv(body), CSV_MEDIA_TYPE) if file_format == "csv" else (as_xlsx(body), XLSX_MEDIA_TYPE)
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
