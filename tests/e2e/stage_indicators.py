"""The indicators, once the claim is paid: reporting's figures for the cohort, read through the gateway by the
programme operator and by the cohort's training provider, equal what the test works out by itself
(``reporting_figures``); an employer has no figures."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hope_infra.demo import cohort_path
from hope_infra.demo.cast import Cast
from hope_infra.demo.gateway import PartnerClient
from hope_infra.demo.waiting import NotYet, eventually

from .checks import status_of, until
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


async def _complete_up_to(
    client: PartnerClient, cohort: cohort_path.CohortRun, last_event_at: datetime
) -> datetime | None:
    """Waits (bounded) until reporting says its read models hold every event up to the test's last one; returns
    how far they got."""
    reached: list[datetime | None] = [None]

    async def attempt() -> None:
        answer = await client.get(f"{INDICATORS}/entries", **_query(cohort))
        mark = answer["complete_up_to"]
        reached[0] = None if mark is None else datetime.fromisoformat(mark)
        if reached[0] is None or reached[0] < last_event_at:
            raise NotYet(mark)

    # A mark short of it is said after the figures are checked: what reporting shows says more than the mark.
    with contextlib.suppress(TimeoutError):
        await eventually(attempt, what="reporting's read models complete", timeout_s=120)
    return reached[0]


async def indicators_as_computed(cast: Cast, cohort: cohort_path.CohortRun, last_event_at: datetime) -> None:
    operator = cast.akto.client
    complete = await _complete_up_to(operator, cohort, last_event_at)
    wanted = expected(cohort)

    async def operator_sees() -> dict[str, dict[str, Any]]:
        answers = await _answers(operator, cohort)
        for indicator, answer in answers.items():
            _check(indicator, answer, cohort.cohort_id, wanted[indicator])
        return answers

    seen = await until(operator_sees, "reporting's indicators for the cohort")
    # The cohort's training provider sees its own cohort's figures: the same ones.
    provider = await _answers(cohort.plan.training_provider.client, cohort)
    assert {i: a["groups"] for i, a in provider.items()} == {i: a["groups"] for i, a in seen.items()}
    # An employer is no provider, operator or funder: no figures at all, for this cohort or any.
    employer = cast.employer_for(cohort.plan.sector, cohort.plan.region, 0).partner.client
    assert await status_of(employer, f"{INDICATORS}/entries?cohort={cohort.cohort_id}") == 403
    assert await status_of(employer, f"{INDICATORS}/employment_at_exit") == 403
    print(f"reporting complete up to {complete}, the test's last event at {last_event_at}")
    assert complete is not None
    assert last_event_at <= complete <= datetime.now(UTC), (complete, last_event_at)
