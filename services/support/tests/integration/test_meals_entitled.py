"""Meal entitlements from training's scheduled sessions, on SQLite and PostgreSQL: lunch on each training day of
the person's cohort (or own course), full board on nights housed, one ``meals_entitled`` per person and month sent
again whole only when the month changes; duplicates change nothing, later sessions add days, a withdrawal takes
the days from its date away, and someone joining the cohort later is entitled on arrival."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal

import httpx
import pytest

from hope_contracts import EventContract, enrolment, training
from hopekit.events.subscriptions import process
from hopekit.identity.principal import Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.events.incoming import CONSUMERS

from .conftest import received
from .support import Programme, cohort_created, outbox, step_started

pytestmark = pytest.mark.integration

ENTITLED = "fr.hope.support.catering.meals_entitled.v1"
MARCH, APRIL = "2027-03-01", "2027-04-01"


async def deliver(
    database: Database, contract: EventContract, event_id: str | None = None, uow: SupportUnitOfWork | None = None
) -> bool:
    """Through whichever of support's consumers takes the contract, as from Kafka."""
    record = received(contract, event_id)
    spec = next(spec for spec in CONSUMERS if record.type in spec.handlers)
    handler = spec.handlers[record.type]
    return await process(f"support.{spec.name}", uow or SupportUnitOfWork(database), handler, record)


def sessions(
    days: list[date],
    cohort: uuid.UUID | None = None,
    person: uuid.UUID | None = None,
    ids: list[uuid.UUID] | None = None,
) -> training.SessionsScheduled:
    ids = ids or [uuid.uuid4() for _ in days]
    return training.SessionsScheduled(
        course_id=uuid.uuid4(),
        step=3,
        cohort_id=cohort,
        beneficiary_id=person,
        sessions=tuple(
            training.ScheduledSession(
                session_id=session_id,
                held_on=day,
                starts_at=time(9),
                ends_at=time(17),
                hours=Decimal("7.00"),
                session_kind="core",
            )
            for session_id, day in zip(ids, days, strict=True)
        ),
        occurred_at=datetime.now(UTC),
    )


async def entitlements(database_url: str) -> dict[tuple[str, str], tuple[int, int, int]]:
    """The latest counts published per (person, month)."""
    latest: dict[tuple[str, str], tuple[int, int, int]] = {}
    for event in await outbox(database_url):
        if event["type"] == ENTITLED:
            latest[(event["beneficiary_id"], event["month"])] = (
                event["breakfasts"],
                event["lunches"],
                event["dinners"],
            )
    return latest


async def published(database_url: str) -> int:
    return sum(1 for event in await outbox(database_url) if event["type"] == ENTITLED)


async def test_a_cohort_s_training_days_and_housing_entitle_meals_once_per_person_and_day(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    org, cohort = uuid.uuid4(), uuid.uuid4()
    alice, bruno, chloe = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await programme.partner(org)
    await deliver(database, cohort_created(cohort, org))
    for person in (alice, bruno):
        await deliver(database, step_started(person, 3, cohort))

    # Monday to Wednesday: lunch each day for both.
    first = sessions([date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3)], cohort=cohort)
    assert await deliver(database, first)
    assert await entitlements(database_url) == {(str(alice), MARCH): (0, 3, 0), (str(bruno), MARCH): (0, 3, 0)}
    # The same sessions again (training resent them, another event id): nothing more.
    again = sessions(
        [date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3)],
        cohort=cohort,
        ids=[s.session_id for s in first.sessions],
    )
    assert await deliver(database, again)
    assert await published(database_url) == 2

    # Alice is housed the nights of 1, 2 and 3 March: full board those days.
    residence = await client.post(
        "/v1/residences",
        json={
            "label": "Centre AFPA",
            "commune_code": "69123",
            "department_code": "69",
            "open_periods": [{"starts_on": "2027-01-01", "ends_on": "2027-12-31"}],
            "rooms": [{"room": "A1", "beds": 1}],
        },
        headers=programme.support(org, Role.ADMIN),
    )
    assert residence.status_code == 201, residence.text
    bed = residence.json()["beds"][0]["id"]
    placed = await client.post(
        "/v1/placements",
        json={"beneficiary_id": str(alice), "bed_id": bed, "starts_on": "2027-03-01", "ends_on": "2027-03-04"},
        headers=programme.support(org),
    )
    assert placed.status_code == 201, placed.text
    assert (await entitlements(database_url))[(str(alice), MARCH)] == (3, 3, 3)

    # Thursday and a Monday in April are added: they add days.
    assert await deliver(database, sessions([date(2027, 3, 4), date(2027, 4, 5)], cohort=cohort))
    # Chloe joins the cohort afterwards: entitled to every day of it on arrival.
    await deliver(database, step_started(chloe, 3, cohort))
    # Bruno withdraws on 3 March: nothing from that day on.
    withdrawn = enrolment.BeneficiaryWithdrawn(
        beneficiary_id=bruno,
        reason="employment_found",
        from_status="french_qualification",
        last_step=3,
        occurred_at=datetime(2027, 3, 3, 8, tzinfo=UTC),
    )
    assert await deliver(database, withdrawn)

    assert await entitlements(database_url) == {
        (str(alice), MARCH): (3, 4, 3),
        (str(alice), APRIL): (0, 1, 0),
        (str(bruno), MARCH): (0, 2, 0),
        (str(bruno), APRIL): (0, 0, 0),
        (str(chloe), MARCH): (0, 4, 0),
        (str(chloe), APRIL): (0, 1, 0),
    }
    # Sessions after the withdrawal entitle Bruno to nothing, and nothing is sent for him.
    before = await published(database_url)
    assert await deliver(database, sessions([date(2027, 4, 6)], cohort=cohort))
    after = await entitlements(database_url)
    assert after[(str(bruno), APRIL)] == (0, 0, 0)
    assert after[(str(alice), APRIL)] == (0, 2, 0)
    assert await published(database_url) == before + 2  # Alice's and Chloe's April


async def test_a_person_s_own_course_entitles_that_person_only(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    org, cohort, person, neighbour = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(database, cohort_created(cohort, org))
    for someone in (person, neighbour):
        await deliver(database, step_started(someone, 3, cohort))
    assert await deliver(database, sessions([date(2027, 5, 3), date(2027, 5, 4)], person=person))
    assert await entitlements(database_url) == {(str(person), "2027-05-01"): (0, 2, 0)}
