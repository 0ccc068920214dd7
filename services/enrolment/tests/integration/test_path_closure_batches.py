"""The path-closure consumer applies a whole poll in one transaction (``path_closure.close_paths``): with several
people's events mixed, a duplicate and a person enrolment does not know, it leaves the same pathways, closures,
published events and audit rows as the same events applied one by one; a poll that fails as a whole is applied
event by event (the kit's fallback), the bad record dead-lettered alone. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace
from typing import Any

import httpx
import pytest
from aiokafka.structs import ConsumerRecord
from sqlalchemy import func, select

from enrolment_service.adapters.tables import kit, path_closures
from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.events.incoming import CONSUMERS
from hope_contracts import EventContract
from hope_contracts.vocabulary import OrgKind
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.consumer import EventConsumer
from hopekit.events.subscriptions import process_batch
from hopekit.testing import TokenIssuer, kafka_record, statements_sent
from hopekit.uow import Database

from .closure_steps import (
    COMPLETED,
    outcome_recorded,
    qualification_awarded,
    ready_for_step_4,
    start_4,
    status_of,
    withdraw_for_a_job,
)
from .conftest import Partners, deliver, received
from .test_step_four_api import AFPA, SCHOOL

pytestmark = pytest.mark.integration

SPEC = next(spec for spec in CONSUMERS if spec.name == "path-closure")
CONSUMER = f"enrolment.{SPEC.name}"


@pytest.fixture(autouse=True)
async def _partners(partners_of: Partners) -> None:
    await partners_of({SCHOOL: OrgKind.TRAINING_PROVIDER, AFPA: OrgKind.SUPPORT_PROVIDER})


async def people(
    client: httpx.AsyncClient, issuer: TokenIssuer, registration: Any, prerequisites: Any, database: Database
) -> dict[str, str]:
    """One person in each state the poll meets, by role."""

    async def ready() -> str:
        return await ready_for_step_4(client, issuer, registration, prerequisites, database)

    late, both, early, left = await ready(), await ready(), await ready(), await ready()
    for person in (late, both, left):
        await start_4(client, issuer, person)
    assert await deliver(database, received(qualification_awarded(late)))  # only its outcome is missing
    await withdraw_for_a_job(client, issuer, left)
    return {"late": late, "both": both, "early": early, "left": left}


def traced(event: ReceivedEvent, index: int) -> ReceivedEvent:
    """Each event of a poll with its own trace (trace id = its index + 1): the events it causes go on with it."""
    return replace(event, traceparent=f"00-{index + 1:032x}-{'1' * 16}-01")


def the_poll(by_role: dict[str, str]) -> list[ReceivedEvent]:
    late, both, early, left = (by_role[role] for role in ("late", "both", "early", "left"))
    contracts: list[EventContract] = [
        outcome_recorded(late),  # completes
        qualification_awarded(both),
        outcome_recorded(early),  # step 4 not started: waits
        outcome_recorded(both),  # completes, after its qualification in the same poll
        outcome_recorded(left),  # withdrawn: not reopened
        qualification_awarded(early),
        qualification_awarded(both),  # training publishing again: changes nothing
        qualification_awarded(left),
        outcome_recorded(str(uuid.uuid4())),  # a person enrolment does not know
    ]
    poll = [traced(received(contract), index) for index, contract in enumerate(contracts)]
    poll.insert(4, poll[1])  # the same record again
    return poll


def poll_trace(traceparent: str | None, size: int) -> int | None:
    """The index of the poll's event whose trace a published event carries (None: a request's own trace)."""
    index = int(traceparent.split("-")[1], 16) - 1 if traceparent else size
    return index if index < size else None


def anonymous(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload but its time and the ids that differ from person to person (the cohort's)."""
    return {name: "<id>" if is_uuid(value) else value for name, value in payload.items() if name != "occurred_at"}


def is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


async def last_position(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int(await connection.scalar(select(func.coalesce(func.max(kit.outbox.c.position), 0))) or 0)


async def what_happened(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    database: Database,
    by_role: dict[str, str],
    poll: list[Any],
    since: int,
) -> dict[str, Any]:
    """Per role, in terms that do not name the person or the event: the pathway's status, the closure row, the
    events published since ``since`` (type, payload but its time, the index of the poll's event whose trace
    they carry), and the audit rows the poll's events wrote (action, actor, index of the event)."""
    index_of = {event.id: index for index, event in reversed(list(enumerate(poll)))}
    found: dict[str, Any] = {}
    async with database.engine.connect() as connection:
        for role, person in by_role.items():
            closure = (
                await connection.execute(
                    select(path_closures).where(path_closures.c.beneficiary_id == uuid.UUID(person))
                )
            ).one_or_none()
            outbox = kit.outbox
            published = []
            rows = await connection.execute(
                select(outbox.c.type, outbox.c.payload, outbox.c.traceparent)
                .where(outbox.c.key == person, outbox.c.position > since)
                .order_by(outbox.c.position)
            )
            for row in rows:
                payload = json.loads(row.payload)
                trace = poll_trace(row.traceparent, len(poll))
                published.append((row.type, payload.pop("beneficiary_id", None) == person, anonymous(payload), trace))
            audit = await connection.execute(
                select(kit.audit.c.action, kit.audit.c.actor, kit.audit.c.request_id).where(
                    kit.audit.c.object_id == person, kit.audit.c.request_id.in_(list(index_of))
                )
            )
            found[role] = {
                "status": await status_of(client, issuer, person),
                "closure": None if closure is None else tuple(closure)[1:-1],
                "published": published,
                "audit": sorted((row.action, row.actor, index_of[row.request_id]) for row in audit),
            }
    return found


async def test_a_poll_of_several_peoples_events_does_what_they_do_one_by_one(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    database: Database,
) -> None:
    assert SPEC.batch is not None, "the consumer applies its polls whole"
    batched = await people(client, issuer, registration, prerequisites, database)
    alone = await people(client, issuer, registration, prerequisites, database)
    batched_poll, alone_poll = the_poll(batched), the_poll(alone)

    since = await last_position(database)
    applied = await process_batch(CONSUMER, EnrolmentUnitOfWork(database), batched_poll, SPEC.batch)
    assert applied == len(batched_poll) - 1  # the repeated record is dropped by the inbox
    assert [await deliver(database, event) for event in alone_poll].count(False) == 1
    for group in (batched, alone):
        await start_4(client, issuer, group["early"])  # the last signal: step 4's start completes the path

    after_batch = await what_happened(client, issuer, database, batched, batched_poll, since)
    one_by_one = await what_happened(client, issuer, database, alone, alone_poll, since)
    assert after_batch == one_by_one
    assert {role: found["status"] for role, found in after_batch.items()} == {
        "late": "completed",
        "both": "completed",
        "early": "completed",
        "left": "withdrawn",
    }
    completions = {
        role: [(trace, same) for type_, same, _, trace in found["published"] if type_ == COMPLETED]
        for role, found in after_batch.items()
    }
    # Completed once each, carrying the trace of the event that completed it (the API's own for "early").
    assert completions == {"late": [(0, True)], "both": [(3, True)], "early": [(None, True)], "left": []}
    assert after_batch["early"]["audit"] == [
        ("outcome_recorded", "event:/hope/employment", 2),
        ("qualification_result_in", "event:/hope/training", 6),
    ]
    assert after_batch["left"]["closure"][-2:] == (False, True)  # (completed, left)


class DeadLetters:
    """The dead-letter topic, as the consumer sees it."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    async def send_and_wait(self, topic: str, *, value: Any, key: Any, headers: list[tuple[str, bytes]]) -> None:
        self.reasons.append(dict(headers)["hope_dlq_reason"].decode())


def record(contract: EventContract, offset: int, data: bytes | None = None) -> ConsumerRecord[bytes, bytes]:
    """The Kafka record another service's relay would send for ``contract`` (its payload replaced by ``data``)."""
    key, value, headers = kafka_record(contract, payload=data)
    return ConsumerRecord(
        topic=contract.topic(),
        partition=0,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=value,
        checksum=None,
        serialized_key_size=len(key or b""),
        serialized_value_size=len(value),
        headers=headers,
    )


async def test_a_poll_that_fails_whole_is_applied_event_by_event(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    database: Database,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, second = [await ready_for_step_4(client, issuer, registration, prerequisites, database) for _ in range(2)]
    for person in (first, second):
        await start_4(client, issuer, person)
        assert await deliver(database, received(qualification_awarded(person)))
    broken = outcome_recorded(first).model_dump(mode="json") | {"exit_on": "when the contract starts"}
    poll = [
        record(outcome_recorded(first), 0),
        record(outcome_recorded(second), 1, data=json.dumps(broken).encode()),  # no retry makes it valid
        record(outcome_recorded(second), 2),
    ]
    dead_letters = DeadLetters()
    runner = EventConsumer(
        name=CONSUMER,
        topics=SPEC.topics,
        bootstrap="unused:9092",
        uow_factory=lambda: EnrolmentUnitOfWork(database),
        handlers=SPEC.handlers,
        dlq_producer=dead_letters,  # type: ignore[arg-type]
        max_attempts=1,
        batch=SPEC.batch,
    )
    with caplog.at_level(logging.WARNING, logger="hopekit.events.consumer"):
        await runner.handle_batch(poll)

    assert "batch of 3 events failed" in caplog.text
    assert (runner.processed_total, len(dead_letters.reasons)) == (2, 1)
    assert "exit_on" in dead_letters.reasons[0]
    for person in (first, second):
        assert await status_of(client, issuer, person) == "completed"
    async with database.engine.connect() as connection:
        inbox = await connection.scalar(
            select(func.count()).select_from(kit.inbox).where(kit.inbox.c.consumer == CONSUMER)
        )
        completions = await connection.scalar(
            select(func.count()).select_from(kit.outbox).where(kit.outbox.c.type == COMPLETED)
        )
    assert (inbox, completions) == (2 + 2, 2)  # the qualifications delivered earlier, the two outcomes


async def test_a_poll_costs_the_same_few_statements_whatever_its_size(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    database: Database,
) -> None:
    """Outcomes that complete paths, as the live consumer receives them (each with its sequence): one poll of
    one, one poll of ten, and ten events one by one."""
    people = []
    for _ in range(21):
        person = await ready_for_step_4(client, issuer, registration, prerequisites, database)
        await start_4(client, issuer, person)
        assert await deliver(database, received(qualification_awarded(person)))
        people.append(person)
    outcomes = [replace(received(outcome_recorded(person)), sequence=1) for person in people]
    apply = SPEC.batch
    assert apply is not None

    with statements_sent(database.engine) as for_one:
        await process_batch(CONSUMER, EnrolmentUnitOfWork(database), outcomes[:1], apply)
    with statements_sent(database.engine) as for_ten:
        await process_batch(CONSUMER, EnrolmentUnitOfWork(database), outcomes[1:11], apply)
    with statements_sent(database.engine) as one_by_one:
        for outcome in outcomes[11:]:
            await deliver(database, outcome)

    # Nothing grows with the poll: even the kit's outbox counters are one upsert for every person completed.
    counters = [statement for statement in for_ten if "outbox_sequences" in statement]
    assert len(counters) == 1
    assert len(for_ten) == len(for_one), for_ten
    # One by one, each event pays what a poll of one does, but for reading the order marks first (the inbox is one
    # statement either way).
    assert len(one_by_one) == 10 * (len(for_one) - 1)
    for person in people:
        assert await status_of(client, issuer, person) == "completed"
