"""On PostgreSQL: two events whose rows a third thing is derived from (a person's meals, their file) applied at the
same time by two consumers (or two instances), before or after support has heard of the cohort. Each transaction
reads what the other writes; unless they serialise, each sees nothing of the other and what derives from both is
never right (missing, or counting days after the person left).

Seen on Kafka (``test_kafka_meals``, about 1 run in 8 to 1 in 30 under load): enrolment's step-started, read from
its partition before the cohort's creation, and training's scheduled sessions were applied together; the cohort's
lock was a lock on its row, which did not exist yet, so nobody was entitled to meals, for good."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from sqlalchemy import text

from hope_contracts import EventContract, enrolment
from hopekit.identity.principal import OrgKind, Principal, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.service_layer import housing

from .support import Programme, cohort_created, outbox, step_started
from .test_meals_entitled import deliver, entitlements, sessions

# PostgreSQL only: the conftest's ``database`` on its PostgreSQL side (on SQLite one writer at a time makes any two
# transactions wait for each other, so no interleaving is there to test).
pytestmark = [pytest.mark.integration, pytest.mark.parametrize("database_url", ["postgres"], indirect=True)]

JUNE = "2027-06-01"
OPENED = "fr.hope.support.support_file.opened.v1"


class CommitHeld(SupportUnitOfWork):
    """Applies its event, then keeps its transaction open until released: the other event runs meanwhile."""

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.applied, self.release = asyncio.Event(), asyncio.Event()

    async def commit(self) -> None:
        self.applied.set()
        await self.release.wait()
        await super().commit()


async def blocked_or_done(database: Database, task: asyncio.Task[bool]) -> None:
    """Returns once ``task`` has finished or waits on a lock another transaction holds."""
    async with database.engine.connect() as connection:
        while not task.done():
            waiting = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            await connection.rollback()  # the next look takes a new snapshot of the activity
            if waiting:
                return
            await asyncio.sleep(0.01)


async def applied_together(database: Database, first: EventContract, second: EventContract) -> None:
    """``first`` applied, its transaction still open, when ``second`` is applied; then both commit."""
    held = CommitHeld(database)
    earlier = asyncio.create_task(deliver(database, first, uow=held))
    await held.applied.wait()
    later = asyncio.create_task(deliver(database, second))
    await blocked_or_done(database, later)
    held.release.set()
    assert await earlier
    assert await later


@pytest.mark.parametrize("cohort_known", [False, True], ids=["cohort_unknown", "cohort_known"])
@pytest.mark.parametrize("first", ["step_started", "sessions"])
async def test_a_step_and_the_cohort_s_sessions_applied_together_entitle_the_person_whenever_the_cohort_arrives(
    database: Database, database_url: str, first: str, cohort_known: bool
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events: dict[str, EventContract] = {
        "step_started": step_started(person, 3, cohort),
        "sessions": sessions([date(2027, 6, 7), date(2027, 6, 8), date(2027, 6, 9)], cohort=cohort),
    }
    if cohort_known:
        await deliver(database, cohort_created(cohort, org))
    earlier = events.pop(first)
    (later,) = events.values()
    await applied_together(database, earlier, later)
    if not cohort_known:
        await deliver(database, cohort_created(cohort, org))  # enrolment's other partition, read last

    assert await entitlements(database_url) == {(str(person), JUNE): (0, 3, 0)}


@pytest.mark.parametrize("first", ["step_started", "cohort_created"])
async def test_a_step_and_the_cohort_s_creation_applied_together_open_the_person_s_file(
    database: Database, database_url: str, first: str
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events: dict[str, EventContract] = {
        "step_started": step_started(person, 3, cohort),
        "cohort_created": cohort_created(cohort, org),
    }
    earlier = events.pop(first)
    (later,) = events.values()
    await applied_together(database, earlier, later)

    opened = [event for event in await outbox(database_url) if event["type"] == OPENED]
    assert [(event["beneficiary_id"], event["support_org_id"]) for event in opened] == [(str(person), str(org))]


@pytest.mark.parametrize("first", ["withdrawn", "sessions"])
async def test_a_withdrawal_and_the_cohort_s_sessions_applied_together_leave_the_days_after_it_unpaid(
    database: Database, database_url: str, first: str
) -> None:
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await deliver(database, cohort_created(cohort, org))
    await deliver(database, step_started(person, 3, cohort))
    events: dict[str, EventContract] = {
        "withdrawn": enrolment.BeneficiaryWithdrawn(
            beneficiary_id=person,
            reason="employment_found",
            from_status="french_qualification",
            last_step=3,
            occurred_at=datetime(2027, 6, 8, 8, tzinfo=UTC),
        ),
        "sessions": sessions([date(2027, 6, 7), date(2027, 6, 8), date(2027, 6, 9)], cohort=cohort),
    }
    earlier = events.pop(first)
    (later,) = events.values()
    await applied_together(database, earlier, later)

    # The 7th only: nothing from the day they left.
    assert await entitlements(database_url) == {(str(person), JUNE): (0, 1, 0)}


@pytest.mark.parametrize("first", ["placement", "sessions"])
async def test_a_placement_and_the_cohort_s_sessions_applied_together_give_full_board_on_the_nights_housed(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str, first: str
) -> None:
    """The placement's transaction (the provider's request) and the sessions' (training's event) each refresh the
    person's meals; whichever comes second must read the other's rows."""
    programme = Programme(client, issuer, database)
    org, cohort, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await programme.partner(org)
    await deliver(database, cohort_created(cohort, org))
    await deliver(database, step_started(person, 3, cohort))
    residence = await programme.residence(org, opens_on="2027-01-01", closes_on="2027-12-31")
    bed = uuid.UUID(residence["beds"][0]["id"])
    provider = Principal("referent-7", org, OrgKind.SUPPORT_PROVIDER, frozenset({Role.WRITER}), frozenset())
    scheduled = sessions([date(2027, 6, 7), date(2027, 6, 8), date(2027, 6, 9)], cohort=cohort)

    async def place(uow: SupportUnitOfWork) -> bool:
        async with uow:
            await housing.assign(
                uow, provider, beneficiary_id=person, bed_id=bed, starts_on=date(2027, 6, 7), ends_on=date(2027, 6, 10)
            )
            await uow.commit()
        return True

    held = CommitHeld(database)
    if first == "placement":
        earlier = asyncio.create_task(place(held))
        await held.applied.wait()
        later = asyncio.create_task(deliver(database, scheduled))
    else:
        earlier = asyncio.create_task(deliver(database, scheduled, uow=held))
        await held.applied.wait()
        later = asyncio.create_task(place(SupportUnitOfWork(database)))
    await blocked_or_done(database, later)
    held.release.set()
    assert await earlier
    assert await later

    # Breakfast, lunch and dinner on each of the three days.
    assert await entitlements(database_url) == {(str(person), JUNE): (3, 3, 3)}
