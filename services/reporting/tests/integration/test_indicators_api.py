"""/v1/indicators on SQLite and PostgreSQL, on hand-made facts: the SQL gives what the rules written in Python
give, small numbers are suppressed, and each caller sees only its scope."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
import pytest

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from reporting_service.api.indicator_views import RowView
from reporting_service.domain.indicators.facts import PersonFacts
from reporting_service.domain.indicators.figures import publish, tabulate
from reporting_service.domain.indicators.registry import BY_ID, INDICATORS

from .hand_made_facts import AS_OF, COMPLETE_UP_TO, Programme, link_funder, programme_fixture
from .support import assert_problem

pytestmark = pytest.mark.integration

__all__ = ["programme_fixture"]

OPERATOR = OrgKind.PROGRAMME_OPERATOR
START, END = date(2017, 1, 1), date(2026, 12, 31)


def _expected(
    indicator_id: str, people: list[PersonFacts], by: str, start: date = START, end: date = END
) -> tuple[list[Any], list[Any]]:
    indicator = BY_ID[indicator_id]
    groups, series = publish(
        indicator,
        tabulate(indicator, people, by, start, end, AS_OF),
        tabulate(indicator, people, "month", start, end, AS_OF),
    )
    return [RowView.of(r).model_dump(mode="json") for r in groups], [
        RowView.of(r).model_dump(mode="json") for r in series
    ]


async def _get(client: httpx.AsyncClient, headers: dict[str, str], indicator_id: str, **params: str) -> Any:
    params = {"from": START.isoformat(), "to": END.isoformat(), **params}
    response = await client.get(f"/v1/indicators/{indicator_id}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_registry_lists_every_indicator_with_its_definitions_to_a_reporting_client(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    listed = await client.get("/v1/indicators", headers=issuer.headers(OrgKind.TRAINING_PROVIDER, Role.REPORTING))
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [item["id"] for item in items] == [indicator.id for indicator in INDICATORS]
    exit_kpi = next(item for item in items if item["id"] == "employment_at_exit")
    assert "cdi" in exit_kpi["definition"]["en"]
    assert "cdi" in exit_kpi["definition"]["fr"]
    assert exit_kpi["code"] == "reporting_service.domain.indicators.rules.employment_at_exit"


@pytest.mark.parametrize("by", ["region", "cohort"])
async def test_every_indicator_in_sql_gives_what_its_rule_gives(
    client: httpx.AsyncClient, issuer: TokenIssuer, programme: Programme, by: str
) -> None:
    headers = issuer.headers(OPERATOR, Role.REPORTING)
    shown: set[str] = set()
    counted = 0
    for indicator in INDICATORS:
        answer = await _get(client, headers, indicator.id, by=by)
        groups, series = _expected(indicator.id, programme.people, by)
        assert answer["groups"] == groups, indicator.id
        assert answer["series"] == series, indicator.id
        assert answer["complete_up_to"].startswith(COMPLETE_UP_TO.date().isoformat())
        shown.update(name for name, value in answer["groups"][-1]["figures"].items() if value is not None)
        counted += answer["groups"][-1]["people"] or 0
    # Not a comparison of empty tables: the totals show figures of every kind.
    assert {"rate", "step_3_median_days", "committed", "cost_per_person_employed"} <= shown
    assert counted > 200


@pytest.mark.parametrize("by", ["region", "cohort", "month"])
async def test_attendance_over_part_of_the_months_counts_each_person_once_as_its_rule_does(
    client: httpx.AsyncClient, issuer: TokenIssuer, programme: Programme, by: str
) -> None:
    headers = issuer.headers(OPERATOR, Role.REPORTING)
    # People attended one to four months (one of them with no hours recorded): a period cutting through them.
    start, end = date(2023, 2, 1), date(2024, 6, 30)
    answer = await _get(client, headers, "attendance_rate", by=by, **{"from": start.isoformat(), "to": end.isoformat()})
    groups, series = _expected("attendance_rate", programme.people, by, start, end)
    assert (answer["groups"], answer["series"]) == (groups, series)
    assert answer["groups"][-1]["people"] > 20
    several = [person for person in programme.people if len([m for m in person.attendance if start <= m <= end]) > 1]
    assert len(several) > 10, "people with several months in the period"
    cut = [
        person
        for person in programme.people
        if {start <= month <= end for month, hours in person.attendance.items() if hours.recorded} == {True, False}
    ]
    assert len(cut) > 3, "people with months on both sides of the period's edges"


async def test_a_region_of_three_people_is_suppressed_with_a_complement_and_the_total_stays(
    client: httpx.AsyncClient, issuer: TokenIssuer, programme: Programme
) -> None:
    answer = await _get(client, issuer.headers(OPERATOR, Role.READER), "entries", by="region")
    rows = {row["group"]: row for row in answer["groups"]}
    assert rows["11"]["people"] is None
    assert rows["11"]["suppressed"]
    assert rows["93"]["people"] is None, "the smallest other region hides with it"
    assert rows["84"]["people"] == 44
    assert rows["total"]["people"] == 56


async def test_a_training_provider_sees_its_own_cohorts_and_another_providers_cohort_is_not_found(
    client: httpx.AsyncClient, issuer: TokenIssuer, programme: Programme
) -> None:
    mine, theirs = programme.cohorts[0], programme.cohorts[1]
    headers = issuer.headers(OrgKind.TRAINING_PROVIDER, Role.READER, org_id=mine.trainer)
    answer = await _get(client, headers, "entries", by="cohort")
    assert [row["group"] for row in answer["groups"]] == [str(mine.cohort_id), "total"]
    assert answer["groups"][-1]["people"] == 30
    own = await _get(client, headers, "entries", by="month", cohort=str(mine.cohort_id))
    assert own["groups"][-1]["people"] == 30
    refused = await client.get("/v1/indicators/entries", params={"cohort": str(theirs.cohort_id)}, headers=headers)
    assert_problem(refused, 404, "cohort-not-found")


async def test_a_support_provider_sees_the_people_of_the_cohorts_it_supports(
    client: httpx.AsyncClient, issuer: TokenIssuer, programme: Programme
) -> None:
    cohort = programme.cohorts[1]
    headers = issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.REPORTING, org_id=cohort.supporter)
    answer = await _get(client, headers, "entries", by="region")
    assert [(row["group"], row["people"]) for row in answer["groups"]] == [("84", 14), ("total", 14)]


async def test_a_funder_sees_only_its_own_agreements_money_and_an_unlinked_organisation_nothing(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, programme: Programme
) -> None:
    org = uuid.uuid4()
    await link_funder(database, programme.funder, org)
    headers = issuer.headers(OrgKind.PUBLIC_EMPLOYMENT, Role.READER, org_id=org)
    answer = await _get(client, headers, "money_by_funder", by="funder")
    assert [row["group"] for row in answer["groups"]] == [str(programme.funder), "total"]
    entries = await _get(client, headers, "entries", by="region")
    assert entries["groups"][-1]["people"] == 47, "the people its agreements finance, not region 93's"
    refused = await client.get("/v1/indicators/entries", headers=issuer.headers(OrgKind.EMPLOYER, Role.READER))
    assert_problem(refused, 403)


async def test_bad_parameters_are_problems_naming_them_never_a_server_error(
    client: httpx.AsyncClient, issuer: TokenIssuer
) -> None:
    headers = issuer.headers(OPERATOR, Role.READER)
    for params, field in [
        ({"by": "planet"}, "by"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"cohort": "not-a-uuid"}, "cohort"),
    ]:
        problem = assert_problem(
            await client.get("/v1/indicators/entries", params=params, headers=headers), 422, "validation"
        )
        assert any(field in error["field"] for error in problem["errors"]), problem
    reversed_period = {"from": "2026-01-02", "to": "2026-01-01"}
    assert_problem(await client.get("/v1/indicators/entries", params=reversed_period, headers=headers), 422)
    by_funder = await client.get("/v1/indicators/entries", params={"by": "funder"}, headers=headers)
    assert_problem(by_funder, 422, "dimension-not-applicable")
    assert_problem(await client.get("/v1/indicators/nothing_like_it", headers=headers), 404, "indicator-not-found")
    assert_problem(await client.get("/v1/indicators"), 401)
