"""The dashboard's own downloads: their links keep the page's view, and a figure the page could not show is a
service down (503) or nothing the organisation may see (404)."""

from __future__ import annotations

from datetime import date

from gateway_service.api.dashboard.downloads import _missing
from gateway_service.api.dashboard.figures import download_links
from gateway_service.api.dashboard.sources import Fetched, Status
from gateway_service.api.dashboard.view import View


def test_the_links_keep_the_view_and_name_the_format() -> None:
    view = View(by="sector", start=date(2026, 1, 1), region="84")
    assert download_links("cohort_money", view.query(), cohort="c-1") == [
        ("CSV", "/dashboard/downloads/cohort_money?by=sector&from=2026-01-01&region=84&cohort=c-1&format=csv"),
        ("XLSX", "/dashboard/downloads/cohort_money?by=sector&from=2026-01-01&region=84&cohort=c-1&format=xlsx"),
    ]
    assert download_links("follow_ups", "")[0] == ("CSV", "/dashboard/downloads/follow_ups?format=csv")


def test_a_figure_missing_because_its_service_is_down_is_503_else_404() -> None:
    down = _missing({"status": Status.OK, "agreements": Fetched(Status.UNAVAILABLE), "figures": []})
    refused = _missing({"status": Status.OK, "agreements": Fetched(Status.NOT_AVAILABLE), "figures": []})
    cohort_down = _missing({"status": Status.UNAVAILABLE})
    assert (down.status, refused.status, cohort_down.status) == (503, 404, 503)
