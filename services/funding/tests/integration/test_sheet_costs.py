"""What a sheet costs the database, and the shortcuts that keep it low staying correct: a cohort's next sheet sends
the same statements whatever its size (its people's accounts remembered, a set of values as one parameter, only
what changed written, the commitment's reservation read only when money is given back); an account remembered
but rolled back is created again; a sheet moved to another day moves its consumption's day."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest
from sqlalchemy import select

from funding_service.adapters.tables import consumption_posted
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain.ledger import AccountKey
from funding_service.domain.vocabulary import Stage
from funding_service.events.incoming import CONSUMERS
from funding_service.main import create_app
from funding_service.settings import FundingSettings
from hopekit.events.subscriptions import process_batch
from hopekit.testing import TokenIssuer, running, service_settings, statements_sent
from hopekit.uow import Database

from .conftest import CONSUMER, deliver, received
from .support import Programme, kept_and_derived_balances
from .test_path_through_events import sheet

pytestmark = pytest.mark.integration

LINE = {"rate": "15.00", "quantity": "100000.00", "amount": "1500000.00"}


async def cohort_on_step_3(programme: Programme, size: int) -> list[uuid.UUID]:
    await programme.agreement([LINE])
    people = [uuid.uuid4() for _ in range(size)]
    await programme.cohort(people)
    await programme.plan("15.00", ["1"])
    for person in people:
        await programme.step_started(person)
    return people


async def statements_for_a_sheet(programme: Programme, people: list[uuid.UUID], course: uuid.UUID) -> list[str]:
    everyone_present = sheet(programme, uuid.uuid4(), course, dict.fromkeys(people, ("present", "7.00")))
    with statements_sent(programme.database.engine) as sent:
        assert await deliver(programme.database, received(everyone_present, source="/hope/training"))
    return sent


@pytest.mark.parametrize("size", [3, 30])
async def test_a_cohort_s_next_sheet_sends_the_same_few_statements_whatever_its_size(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str, size: int
) -> None:
    programme = Programme(client, issuer, database)
    people = await cohort_on_step_3(programme, size)
    course = uuid.uuid4()
    await statements_for_a_sheet(programme, people, course)  # the people's consumed accounts are created
    sent = await statements_for_a_sheet(programme, people, course)
    tables = [statement.split()[2] if statement.startswith("INSERT") else statement for statement in sent]
    if database_url.startswith("postgresql"):
        # The inbox, the session's marks and rows, the people's own plans and the cohort's (with its shares), the
        # lines, the accounts locked, the transaction with its postings and balances (one statement), the lines'
        # owners, the marks and rows kept, and the kit's outbox, order and audit rows. No account created, no row
        # removed, no commitment read; a poll of many sheets reads the plans, lines and owners once.
        assert len(sent) == 15, "\n".join(sent)
        assert not any(table == "accounts" for table in tables)
    assert not any("commitments" in statement for statement in sent)
    assert not any(statement.startswith("DELETE") for statement in sent)
    view = await programme.money("cohorts", programme.cohort_id)
    assert view["consumed"] == f"{size * 2 * 105}.00"
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


@pytest.mark.parametrize("sheets", [2, 6])
async def test_a_poll_of_a_cohort_s_sheets_sends_the_same_few_statements_whatever_their_number(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str, sheets: int
) -> None:
    programme = Programme(client, issuer, database)
    people = await cohort_on_step_3(programme, 3)
    course = uuid.uuid4()
    await statements_for_a_sheet(programme, people, course)  # the people's consumed accounts are created
    poll = [
        received(sheet(programme, uuid.uuid4(), course, dict.fromkeys(people, ("present", "7.00"))), "/hope/training")
        for _ in range(sheets)
    ]
    [ledger] = [spec for spec in CONSUMERS if spec.name == "ledger"]
    assert ledger.batch is not None
    with statements_sent(programme.database.engine) as sent:
        assert await process_batch(CONSUMER, FundingUnitOfWork(programme.database), poll, ledger.batch) == sheets
    if database_url.startswith("postgresql"):
        # The kit's inbox and order marks; read ahead: the sessions' marks and rows, the people's own plans and the
        # cohort's (with its shares), the accounts locked; the lines and their owners; then, written once: the
        # transactions with their postings and balances, the marks, the rows; the kit's outbox, order and audit rows.
        assert len(sent) == 15, "\n".join(sent)
    else:
        # The same, but the accounts are created (which takes SQLite's write lock) and locked by the first sheet,
        # and the transactions, postings and balances are a statement each.
        assert len(sent) == 18, "\n".join(sent)
    view = await programme.money("cohorts", programme.cohort_id)
    assert view["consumed"] == f"{3 * (sheets + 1) * 105}.00"
    kept, derived = await kept_and_derived_balances(database_url)
    assert kept == derived


async def test_an_account_remembered_but_rolled_back_is_created_again(postgres_url: str, issuer: TokenIssuer) -> None:
    app = create_app(service_settings(FundingSettings, postgres_url, issuer))
    async with running(app) as client:
        database: Database = app.state.database
        programme = Programme(client, issuer, database)
        await programme.agreement([LINE])
        line = uuid.UUID(programme.line_ids[0])
        keys = [AccountKey.line(line, Stage.AVAILABLE), AccountKey.person(line, Stage.CONSUMED, uuid.uuid4())]
        async with FundingUnitOfWork(database) as uow:
            await uow.ledger.lock(keys)  # created and remembered, then rolled back (never committed)
        async with FundingUnitOfWork(database) as uow:
            balances = await uow.ledger.lock(keys)
            await uow.commit()
        assert set(balances) == set(keys)
        assert balances[keys[1]] == 0


async def test_a_sheet_moved_to_another_day_moves_its_consumption_s_day(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database, database_url: str
) -> None:
    programme = Programme(client, issuer, database)
    [alice] = await cohort_on_step_3(programme, 1)
    session, course = uuid.uuid4(), uuid.uuid4()
    first = sheet(programme, session, course, {alice: ("present", "7.00")})
    assert await deliver(database, received(first, source="/hope/training"))
    moved = first.model_copy(update={"held_on": date(2026, 3, 9)})
    assert await deliver(database, received(moved, source="/hope/training"))
    async with database.engine.connect() as connection:
        days = (await connection.execute(select(consumption_posted.c.held_on, consumption_posted.c.amount))).all()
    assert [(day, str(amount)) for day, amount in days] == [(date(2026, 3, 9), "105.00")]


async def test_a_certificate_reads_the_claim_its_funder_and_the_person_s_marks_once(
    database_url: str, issuer: TokenIssuer
) -> None:
    app = create_app(service_settings(FundingSettings, database_url, issuer))
    async with running(app) as client:
        programme = Programme(client, issuer, app.state.database)
        [alice] = await cohort_on_step_3(programme, 1)
        course = uuid.uuid4()
        for _ in range(3):
            await statements_for_a_sheet(programme, [alice], course)
        period = {"period_start": "2026-01-01", "period_end": "2026-12-31"}
        claim = await programme.post("/v1/claims", {"agreement_id": programme.agreement_id, **period})
        path = f"/v1/claims/{claim['id']}/certificates/{alice}"
        with statements_sent(app.state.database.engine) as sent:
            answer = await client.get(path, headers=programme.operator)
    assert answer.status_code == 200, answer.text
    assert answer.json()[0]["hours_present"] == "21.00"
    # The claim, its lines and history; the agreement's funder; the person's cohort (path, then cohort); every
    # mark of the person at once (not their posted amounts). (The audit row goes straight to asyncpg on PostgreSQL.)
    reads = [statement for statement in sent if not statement.startswith("INSERT INTO audit_log")]
    assert len(reads) == 7, "\n".join(reads)
