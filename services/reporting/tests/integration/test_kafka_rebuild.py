"""On PostgreSQL and a real Kafka: every service's events read from their topics by the running service (some
records sent twice) make the live facts and the completeness marks on /metrics; a rebuild from the topics'
beginning, its topics shared between two processes, makes a new version with the same facts, and becomes the active
one; the records it cannot read it counts and skips."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import select
from typer.testing import CliRunner

from hope_contracts import EventContract, enrolment
from hopekit.db.engine import make_engine
from hopekit.events import cloudevent
from hopekit.testing import TokenIssuer, running, service_settings
from hopekit.uow import Database
from reporting_service import cli
from reporting_service.adapters import completeness
from reporting_service.adapters.tables import fact_claims, fact_follow_ups, fact_people, kit, read_model_versions
from reporting_service.events.incoming import CONSUMERS
from reporting_service.events.replay import Replay
from reporting_service.main import create_app
from reporting_service.settings import ReportingSettings

from .scenario import Cohort, at
from .support import facts_of

pytestmark = pytest.mark.integration


async def _publish(bootstrap: str, events: list[EventContract]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for number, event in enumerate(events):
            key, value, headers = cloudevent.encode(
                event_id=uuid.uuid4(),
                source=f"/hope/{event.service()}",
                type_=event.event_type,
                subject=event.subject(),
                time=getattr(event, "occurred_at"),  # noqa: B009
                key=event.partition_key(),
                payload=event.model_dump_json().encode(),
            )
            for _ in range(2 if number % 3 == 0 else 1):  # every third record delivered twice
                await producer.send_and_wait(event.topic(), value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def _settled(database: Database, cohort: Cohort) -> None:
    """Until the last facts of each topic's story are in: the live consumers have read what was sent."""
    people, claims, follow_ups = fact_people.c, fact_claims.c, fact_follow_ups.c
    async with asyncio.timeout(90):
        while True:
            async with database.engine.connect() as connection:
                done = [
                    await connection.scalar(
                        select(people.completed_at).where(people.beneficiary_id == cohort.finisher)
                    ),
                    await connection.scalar(
                        select(people.support_file_id).where(people.beneficiary_id == cohort.finisher)
                    ),
                    await connection.scalar(
                        select(people.language_level).where(people.beneficiary_id == cohort.finisher)
                    ),
                    await connection.scalar(select(claims.paid_on).where(claims.claim_id == cohort.claim)),
                    await connection.scalar(
                        select(follow_ups.status).where(
                            follow_ups.beneficiary_id == cohort.finisher, follow_ups.months_after_exit == 6
                        )
                    ),
                ]
            if all(value is not None for value in done):
                return
            await asyncio.sleep(0.3)


async def _caught_up(bootstrap: str, service_name: str) -> None:
    """Until each live consumer group has committed every record on its topics: the topics hold every earlier
    test's events too, and the rebuild reads them all (a fixed pause was too short on a loaded machine, and the
    live facts then lacked what the rebuild had)."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await reader.start()
    await admin.start()
    try:
        ends: dict[str, dict[TopicPartition, int]] = {}
        for spec in CONSUMERS:
            described = await admin.describe_topics(list(spec.topics))
            partitions = [
                TopicPartition(topic["topic"], partition["partition"])
                for topic in described
                for partition in topic["partitions"]
            ]
            assert partitions, spec.topics
            ends[f"{service_name}.{spec.name}"] = await reader.end_offsets(partitions)
        async with asyncio.timeout(120):
            while True:
                behind = 0
                for group, end in ends.items():
                    committed = await admin.list_consumer_group_offsets(group)
                    behind += sum(
                        max(0, offset - (committed[p].offset if p in committed else 0)) for p, offset in end.items()
                    )
                if behind == 0:
                    return
                await asyncio.sleep(0.5)
    finally:
        await admin.close()
        await reader.stop()


async def test_live_facts_from_kafka_and_a_rebuild_from_the_topics_agree(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer
) -> None:
    cohort = Cohort()
    await _publish(kafka_bootstrap, cohort.events())
    # A consumer group of its own: it reads the topics from their beginning, as the rebuild does.
    service_name = f"reporting-{uuid.uuid4().hex[:8]}"
    settings = service_settings(ReportingSettings, postgres_url, issuer, kafka_bootstrap, service_name=service_name)
    engine = make_engine(postgres_url)
    database = Database(engine=engine, tables=kit)
    try:
        async with running(create_app(settings)) as client:
            await _settled(database, cohort)
            metrics = (await client.get("/metrics")).text
            for topic in ("enrolment", "training", "support", "funding", "employment"):
                assert f'hope_reporting_complete_up_to_seconds{{topic="hope.{topic}.events"}}' in metrics
            await _caught_up(kafka_bootstrap, service_name)
            live = await facts_of(database, 1)

            # Two processes sharing the topics, as on a machine of two cores or more.
            rebuild = Replay(database, kafka_bootstrap, batch_size=50, workers=2)
            rebuilt = await rebuild.run(keep_previous=True)
            assert rebuilt.version == 2
            assert rebuilt.events_applied >= len(cohort.events())
            assert await facts_of(database, 2) == live
        async with engine.connect() as connection:
            states = dict(
                (await connection.execute(select(read_model_versions.c.version, read_model_versions.c.state))).all()
            )
            assert states == {1: "retired", 2: "active"}
            assert await completeness.active_version(connection) == 2
            marks: dict[str, Any] = await completeness.topic_marks(connection)
            assert len(marks) == 5
    finally:
        await engine.dispose()


def test_the_rebuild_command_switches_to_a_new_version_and_says_so(
    postgres_url: str, kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOPE_REPORTING_DATABASE_URL", postgres_url)
    monkeypatch.setenv("HOPE_REPORTING_KAFKA_BOOTSTRAP", kafka_bootstrap)
    result = CliRunner().invoke(cli.app, ["rebuild", "--batch-size", "200"])
    assert result.exit_code == 0, result.output
    assert "version 2 active" in result.output

    async def states() -> dict[int, str]:
        engine = make_engine(postgres_url)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(select(read_model_versions.c.version, read_model_versions.c.state))
                return {int(version): state for version, state in rows}
        finally:
            await engine.dispose()

    assert asyncio.run(states()) == {2: "active"}  # the replaced version's rows are gone


def test_the_rebuild_command_needs_kafka(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOPE_REPORTING_DATABASE_URL", postgres_url)
    monkeypatch.delenv("HOPE_REPORTING_KAFKA_BOOTSTRAP", raising=False)
    result = CliRunner().invoke(cli.app, ["rebuild"])
    assert result.exit_code == 2
    assert "HOPE_REPORTING_KAFKA_BOOTSTRAP" in result.output


async def test_a_rebuild_counts_the_records_it_could_not_read_and_applies_the_rest(
    database: Database, kafka_bootstrap: str
) -> None:
    """A record that is no CloudEvent and one whose payload does not validate are counted and skipped, as the live
    consumers dead-letter them; the batch's other events are applied. On a topic of its own: the platform's topics
    hold every earlier test's records."""
    topic = f"hope.rebuild-{uuid.uuid4().hex[:8]}.events"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=3, replication_factor=1)])
    finally:
        await admin.close()
    person = uuid.uuid4()
    registered = enrolment.BeneficiaryRegistered(
        beneficiary_id=person,
        track="group",
        protection_status="refugee",
        registered_by_org_id=uuid.uuid4(),
        occurred_at=at(1),
    )
    key, value, headers = cloudevent.encode(
        event_id=uuid.uuid4(),
        source="/hope/enrolment",
        type_=registered.event_type,
        subject=registered.subject(),
        time=registered.occurred_at,
        key=registered.partition_key(),
        payload=registered.model_dump_json().encode(),
    )
    invalid = json.dumps({**json.loads(value), "beneficiary_id": "not-a-person"}).encode()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=b"not an event", key=key)
        await producer.send_and_wait(topic, value=invalid, key=key, headers=headers)
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()

    rebuild = Replay(database, kafka_bootstrap, batch_size=50)
    rebuild._topics = [topic]  # the enrolment consumer's handlers, on this topic alone
    rebuilt = await rebuild.run()
    assert (rebuilt.records_read, rebuilt.events_applied, rebuilt.records_refused) == (3, 1, 2)
    async with database.engine.connect() as connection:
        people = await connection.scalars(
            select(fact_people.c.beneficiary_id).where(fact_people.c.version == rebuilt.version)
        )
        assert list(people) == [person]
