"""The path completes when step 4 has started, training's qualification result is in and employment's outcome is
recorded: in any order, each event delivered twice, exactly once; a person who left is not reopened. The
consumer's own transaction (inbox row and closure together), on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from enrolment_service.adapters.tables import kit, path_closures
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import outbox_events
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .closure_steps import (
    COMPLETED,
    OUTCOME,
    QUALIFICATION,
    STEP_4,
    outcome_recorded,
    qualification_awarded,
    ready_for_step_4,
    start_4,
    status_of,
)
from .conftest import Partners, deliver, received
from .test_step_four_api import AFPA, AKTO, SCHOOL, as_

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
async def _partners(partners_of: Partners) -> None:
    await partners_of({SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER})


async def completions(database_url: str, person: str) -> int:
    return sum(1 for e in await outbox_events(database_url, kit, COMPLETED) if e["beneficiary_id"] == person)


@pytest.mark.parametrize("order", list(itertools.permutations([STEP_4, QUALIFICATION, OUTCOME])), ids="-".join)
async def test_the_path_completes_once_whatever_the_order_and_however_often_the_events_come(
    order: tuple[str, ...],
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    database: Database,
    database_url: str,
) -> None:
    person = await ready_for_step_4(client, issuer, registration, prerequisites, database)
    events = {QUALIFICATION: received(qualification_awarded(person)), OUTCOME: received(outcome_recorded(person))}
    for signal in order:
        if signal == STEP_4:
            started = await start_4(client, issuer, person)
            # Step 4's start completes the path at once when it is the last of the three.
            last = order[-1] == STEP_4
            assert started["pathway"]["status"] == ("completed" if last else "trade_qualification")
        else:
            assert await deliver(database, events[signal]) is True
            assert await deliver(database, events[signal]) is False  # the same event again: dropped
    # Training re-publishing its result (another event id) changes nothing either.
    assert await deliver(database, received(qualification_awarded(person))) is True

    assert await status_of(client, issuer, person) == "completed"
    assert await completions(database_url, person) == 1
    async with database.engine.connect() as connection:
        row = (
            await connection.execute(select(path_closures).where(path_closures.c.beneficiary_id == uuid.UUID(person)))
        ).one()
    assert (row.completed, row.left) == (True, False)
    read = await client.get(
        f"/v1/beneficiaries/{person}", headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.ADMIN)
    )
    assert read.json()["pathway"]["history"][-1]["reason_code"] == "qualification_and_outcome_in"


async def test_a_person_who_left_for_a_job_is_not_reopened_by_their_outcome(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    database: Database,
    database_url: str,
) -> None:
    person = await ready_for_step_4(client, issuer, registration, prerequisites, database)
    await start_4(client, issuer, person)
    withdrawn = await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions",
        json={"action": "withdraw", "withdrawal_reason": "employment_found"},
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO),
    )
    assert withdrawn.status_code == 200, withdrawn.text

    assert await deliver(database, received(outcome_recorded(person))) is True
    assert await deliver(database, received(qualification_awarded(person))) is True

    assert await status_of(client, issuer, person) == "withdrawn"
    assert await completions(database_url, person) == 0


async def test_results_for_a_person_enrolment_does_not_know_are_consumed_and_change_nothing(
    database: Database,
) -> None:
    stranger = str(uuid.uuid4())
    assert await deliver(database, received(outcome_recorded(stranger))) is True
    async with database.engine.connect() as connection:
        assert list(await connection.scalars(select(path_closures.c.beneficiary_id))) == []
