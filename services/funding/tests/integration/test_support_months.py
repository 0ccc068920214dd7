"""An open support file is paid one person-month for every month it is open in, though support sends nothing
between its opening and its closing: the count (the running service's hourly job, or ``hope-funding
count-support-months`` by hand) adds each new month, on SQLite and PostgreSQL. Only what is new is posted; a
closing afterwards settles the difference. Two counts at once (two replicas) count a month once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select, text

from funding_service.adapters.tables import kit, support_costs
from funding_service.domain.support_costs import month_of, months_after
from funding_service.main import create_app
from funding_service.service_layer.support_months import count_open_files as count_support_months
from funding_service.settings import FundingSettings
from hope_contracts import support
from hopekit.testing import TokenIssuer, running, service_settings, statements_sent
from hopekit.uow import Database

from .support import Programme, kept_and_derived_balances
from .test_support_costs import LINES, T0, deliver_support, recorded, support_plans, unfunded

pytestmark = pytest.mark.integration


def opened(file_id: uuid.UUID, person: uuid.UUID, cohort_id: uuid.UUID) -> support.SupportFileOpened:
    return support.SupportFileOpened(
        file_id=file_id, beneficiary_id=person, support_org_id=uuid.uuid4(), cohort_id=cohort_id, occurred_at=T0
    )


async def test_an_open_file_is_counted_every_month_until_it_closes(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    alice, bob = uuid.uuid4(), uuid.uuid4()
    await programme.cohort([alice, bob])
    await support_plans(programme, programme.line_ids)
    alices, bobs = uuid.uuid4(), uuid.uuid4()
    opening = str(uuid.uuid4())
    assert await deliver_support(database, opened(alices, alice, programme.cohort_id), opening)  # January 2026
    assert (await programme.money("people", alice))["consumed"] == "300.00"

    # In March, the count adds February and March; run again the same month, it adds nothing.
    assert await count_support_months(database, date(2026, 3, 14)) == 1
    assert (await programme.money("people", alice))["consumed"] == "900.00"
    assert (await recorded(database_url))[-1] == (
        str(alices),
        "3.00",
        opening,  # the last support event about the file
        [("2026-02-01", "300.00"), ("2026-03-01", "300.00")],
    )
    with statements_sent(database.engine) as seen:
        assert await count_support_months(database, date(2026, 3, 31)) == 0
    assert len(await recorded(database_url)) == 2
    assert len(seen) == 1  # the page of open files only: a file already counted costs no transaction (run hourly)

    # Bob's file opens in March: the count of April adds a month to each.
    bobs_opening = opened(bobs, bob, programme.cohort_id).model_copy(
        update={"occurred_at": datetime(2026, 3, 20, tzinfo=UTC)}
    )
    assert await deliver_support(database, bobs_opening)
    assert await count_support_months(database, date(2026, 4, 1)) == 2
    assert (await programme.money("people", alice))["consumed"] == "1200.00"
    assert (await programme.money("people", bob))["consumed"] == "600.00"

    # Alice's file closed on 20 February, heard of in April: the months after it are given back.
    closed = support.SupportFileClosed(
        file_id=alices,
        beneficiary_id=alice,
        support_org_id=uuid.uuid4(),
        end_reason="path_completed",
        occurred_at=datetime(2026, 2, 20, 9, 0, tzinfo=UTC),
    )
    assert await deliver_support(database, closed)
    assert (await programme.money("people", alice))["consumed"] == "600.00"
    assert (await recorded(database_url))[-1][3] == [("2026-03-01", "-300.00"), ("2026-04-01", "-300.00")]
    # A closed file is not counted any more.
    assert await count_support_months(database, date(2026, 5, 2)) == 1  # Bob's May
    assert (await programme.money("people", alice))["consumed"] == "600.00"
    assert (await programme.money("people", bob))["consumed"] == "900.00"

    assert await unfunded(programme) == []
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived
    audit = kit.audit
    async with database.engine.connect() as connection:
        actors = set(
            await connection.scalars(
                select(audit.c.actor).where(audit.c.action == "consume", audit.c.request_id.is_(None))
            )
        )
    assert actors == {"funding:monthly-count"}


async def test_a_month_no_money_pays_is_kept_unfunded_and_paid_when_money_comes(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    two_months = [*LINES[:2], LINES[2] | {"quantity": "2.00", "amount": "600.00"}]
    await programme.agreement(two_months)
    alice = uuid.uuid4()
    await programme.cohort([alice])
    await support_plans(programme, programme.line_ids)
    assert await deliver_support(database, opened(uuid.uuid4(), alice, programme.cohort_id))

    assert await count_support_months(database, date(2026, 3, 2)) == 1
    # Three months wanted, two paid for: what was paid stays paid, the count waits for money.
    assert (await programme.money("people", alice))["consumed"] == "300.00"
    assert [(item["quantity"], item["reason"]) for item in await unfunded(programme)] == [("3.00", "no_money")]


async def alices_programme(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> tuple[Programme, uuid.UUID]:
    """An active agreement of ``LINES``, Alice in a cohort whose plans pay support months at 300.00."""
    programme = Programme(client, issuer, database)
    await programme.agreement(LINES)
    alice = uuid.uuid4()
    await programme.cohort([alice])
    await support_plans(programme, programme.line_ids)
    return programme, alice


async def counted_months(database: Database, file_id: uuid.UUID) -> Decimal:
    async with database.engine.connect() as connection:
        quantity: Decimal = await connection.scalar(
            select(support_costs.c.quantity).where(support_costs.c.id == file_id)
        )
    return quantity


async def test_the_running_service_counts_an_open_files_new_month_by_itself(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme, alice = await alices_programme(client, issuer, database)
    # Opened last month: its opening counted that month; this month is the schedule's to count.
    last_month = months_after(month_of(datetime.now(UTC).date()), -1)
    file_id = uuid.uuid4()
    opening = opened(file_id, alice, programme.cohort_id).model_copy(
        update={"occurred_at": datetime.combine(last_month, datetime.min.time(), UTC).replace(hour=9)}
    )
    assert await deliver_support(database, opening)
    assert await counted_months(database, file_id) == Decimal(1)

    # A second instance of the service (the first one's jobs are off, as in every test that does not ask for
    # them), its job on: it counts at start, without the command.
    settings = service_settings(
        FundingSettings, database_url, issuer, scheduled_jobs_enabled=True, support_count_interval_s=3600
    )
    async with running(create_app(settings)):

        async def counted() -> None:
            while await counted_months(database, file_id) != Decimal(2):
                await asyncio.sleep(0.05)

        await asyncio.wait_for(counted(), 20)  # a guard against waiting for ever, not a measure
    async with database.engine.connect() as connection:
        actors = set(await connection.scalars(select(kit.audit.c.actor).where(kit.audit.c.action == "consume")))
    assert "funding:monthly-count" in actors


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_counts_at_once_count_a_month_once(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme, alice = await alices_programme(client, issuer, database)
    file_id = uuid.uuid4()
    assert await deliver_support(database, opened(file_id, alice, programme.cohort_id))  # January 2026

    # The file's row held by a third transaction, so that both counts (two replicas' jobs) have read the list of
    # open files and wait on the row at once before either goes on.
    async with database.engine.connect() as holder:
        await holder.begin()
        await holder.execute(select(support_costs.c.id).where(support_costs.c.id == file_id).with_for_update())
        runs = asyncio.gather(
            count_support_months(database, date(2026, 3, 14)), count_support_months(database, date(2026, 3, 20))
        )

        async def both_waiting() -> None:
            query = text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            async with database.engine.connect() as observer:
                while await observer.scalar(query) < 2:
                    await observer.rollback()  # a fresh snapshot of the activity for the next look
                    await asyncio.sleep(0.02)

        await asyncio.wait_for(both_waiting(), 20)
        await holder.rollback()
        assert sorted(await runs) == [0, 1]

    assert await counted_months(database, file_id) == Decimal(3)
    assert (await programme.money("people", alice))["consumed"] == "900.00"
    months = [entry for event in await recorded(database_url) for entry in event[3]]
    assert months == [("2026-01-10", "300.00"), ("2026-02-01", "300.00"), ("2026-03-01", "300.00")]
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived
