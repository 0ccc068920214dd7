"""The indicators, once the claim is paid: reporting's figures for the cohort, read through the gateway by the
programme operator and by the cohort's training provider, equal what the test works out by itself
(``reporting_figures``); an employer has no figures.

Each organisation reads the figures with a client of its own for them (scope ``reporting:read``, role
``reporting``: aggregates only), as docs/partners.md advises: the clients the demo gives partners for their
work carry only their work's scopes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from hope_infra.demo import cohort_path
from hope_infra.demo.cast import Cast
from hope_infra.demo.gateway import PartnerClient, Refused
from hope_infra.demo.partners import Partner, PartnerRegistry, PartnerSpec

from .checks import until
from .reporting_figures import Published, expected

INDICATORS = "/api/reporting/v1/indicators"


def _query(cohort: cohort_path.CohortRun) -> dict[str, str]:
    # The sheets run into the coming months (the calendar's sessions): the period reaches the last of them.
    return {"by": "cohort", "cohort": cohort.cohort_id, "to": cohort.calendar.trade.last.isoformat()}


def _row(row: dict[str, Any]) -> Published:
    rate = row["figures"].get("rate")
    return Published(row["categories"], row["people"], None if rate is None else Decimal(str(rate)))


def _check(indicator: str, answer: dict[str, Any], cohort_id: str, wanted: Published) -> None:
    groups = answer["groups"]
    # The cohort's row, then the total row (only the total when nobody counts in the indicator).
    labels = ["total"] if wanted.people == 0 else [cohort_id, "total"]
    assert [g["group"] for g in groups] == labels, (indicator, groups)
    for row in groups:
        assert _row(row) == wanted, (indicator, row, wanted)
        assert row["suppressed"] == (wanted.people is None or None in wanted.categories.values()), (indicator, row)


async def _answers(client: PartnerClient, cohort: cohort_path.CohortRun) -> dict[str, dict[str, Any]]:
    return {i: await client.get(f"{INDICATORS}/{i}", **_query(cohort)) for i in expected(cohort)}


async def reporting_client(http: httpx.AsyncClient, cast: Cast, partner: Partner) -> PartnerClient:
    """The organisation's client for figures, registered by the operator's admin (next to its work client)."""
    spec = PartnerSpec(
        partner.spec.name, partner.spec.org_kind, "reporting", ("reporting",), ("reporting:read",), partner.spec.siret
    )
    return (await PartnerRegistry(http, cast.admin).enrol(spec)).client


async def refusal(client: PartnerClient, path: str) -> dict[str, Any]:
    try:
        answer = await client.get(path)
    except Refused as refused:
        return {"status": refused.status, **refused.problem}
    raise AssertionError(f"{path} answered {answer}")


async def indicators_as_computed(
    http: httpx.AsyncClient, cast: Cast, cohort: cohort_path.CohortRun, started_at: datetime, last_event_at: datetime
) -> None:
    """``started_at``: before the test's first event; ``last_event_at``: after its last one (the claim paid)."""
    operator = await reporting_client(http, cast, cast.akto)
    wanted = expected(cohort)

    async def operator_sees() -> dict[str, dict[str, Any]]:
        answers = await _answers(operator, cohort)
        for indicator, answer in answers.items():
            _check(indicator, answer, cohort.cohort_id, wanted[indicator])
        return answers

    # Until reporting has applied every event the figures count (its read models learn from the bus).
    seen = await until(operator_sees, "reporting's indicators for the cohort")
    # How far reporting says its read models are complete: every topic's oldest partition mark, so a topic that
    # has been quiet since early in the run holds it there (reporting's completeness is cautious on purpose).
    mark = seen["attendance_rate"]["complete_up_to"]
    assert mark is not None, "reporting says it has applied no event"
    complete = datetime.fromisoformat(mark)
    assert complete <= last_event_at, (complete, last_event_at)
    # The cohort's training provider sees its own cohort's figures: the same ones.
    provider = await _answers(await reporting_client(http, cast, cohort.plan.training_provider), cohort)
    assert {i: a["groups"] for i, a in provider.items()} == {i: a["groups"] for i, a in seen.items()}
    # An employer is no provider, operator or funder: reporting refuses its figures, for this cohort or any; and
    # its HR system's client has no reporting scope at all.
    employer = cast.employer_for(cohort.plan.sector, cohort.plan.region, 0).partner
    figures = await reporting_client(http, cast, employer)
    for path in (f"{INDICATORS}/entries?cohort={cohort.cohort_id}", f"{INDICATORS}/employment_at_exit"):
        refused = await refusal(figures, path)
        assert (refused["status"], refused["type"]) == (403, "urn:hope:problem:forbidden"), refused
    refused = await refusal(employer.client, f"{INDICATORS}/entries")
    assert (refused["status"], refused["type"]) == (403, "urn:hope:problem:insufficient-scope"), refused
    print(f"e2e: started {started_at}, reporting complete up to {complete}, last event {last_event_at}")
