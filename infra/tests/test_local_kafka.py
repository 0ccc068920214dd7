"""The local Kafka really runs: provisioning, topics, idempotent producer, consumer groups, shutdown."""

from __future__ import annotations

import logging
import os
import signal
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import UnknownTopicOrPartitionError
from aiokafka.structs import TopicPartition

from hope_infra.kafka import (
    PLATFORM_TOPICS,
    KafkaDistribution,
    LocalKafka,
    PortInUseError,
    ensure_distribution,
    ensure_topics,
    find_free_port,
)
from hope_infra.kafka.provision import BUNDLED_ZOOKEEPER_JAR, default_cache_dir
from hope_infra.kafka.topics import DEAD_LETTERS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def distribution() -> KafkaDistribution:
    return ensure_distribution()


@pytest.fixture(scope="module")
def kafka(distribution: KafkaDistribution, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalKafka]:
    server = LocalKafka(
        tmp_path_factory.mktemp("kafka"),
        port=find_free_port(),
        zk_port=find_free_port(),
        distribution=distribution,
    )
    with server:
        yield server


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_provisioning_is_cached_and_swaps_the_zookeeper_client(distribution: KafkaDistribution) -> None:
    again = ensure_distribution()

    assert again == distribution
    assert distribution.home.is_relative_to(default_cache_dir().resolve())
    broker_jars = {Path(jar).name for jar in distribution.broker_classpath.split(os.pathsep)}
    zookeeper_jars = {Path(jar).name for jar in distribution.zookeeper_classpath.split(os.pathsep)}
    assert {"zookeeper.jar", "zookeeper-jute.jar", "kafka_2.12-2.3.0.jar"} <= broker_jars
    assert BUNDLED_ZOOKEEPER_JAR not in broker_jars
    assert BUNDLED_ZOOKEEPER_JAR in zookeeper_jars


async def test_platform_topics_are_created_once(kafka: LocalKafka) -> None:
    await ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS)
    await ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS, partitions=2)

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
    await admin.start()
    try:
        described = {topic["topic"]: topic for topic in await admin.describe_topics(list(PLATFORM_TOPICS))}
    finally:
        await admin.close()
    assert set(described) == set(PLATFORM_TOPICS)
    assert all(len(topic["partitions"]) == 6 for topic in described.values())


async def test_the_domain_topics_keep_their_history_even_when_they_existed_before(kafka: LocalKafka) -> None:
    """Reporting rebuilds from the beginning of every domain topic: none may lose events to retention."""
    older = "hope.enrolment.events"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
    await admin.start()
    try:
        await ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS)
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, older, {"retention.ms": "604800000"})])
        await ensure_topics(kafka.bootstrap_servers, PLATFORM_TOPICS)
        resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in PLATFORM_TOPICS]
        configs = {
            resource[3]: {entry[0]: entry[1] for entry in resource[4]}
            for response in await admin.describe_configs(resources)
            for resource in response.resources
        }
    finally:
        await admin.close()
    for name in PLATFORM_TOPICS:
        kept = (configs[name]["retention.ms"], configs[name]["retention.bytes"]) == ("-1", "-1")
        assert kept == (name != DEAD_LETTERS), name


async def test_topics_are_not_created_implicitly(kafka: LocalKafka) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, request_timeout_ms=1000)
    await producer.start()
    try:
        with pytest.raises(UnknownTopicOrPartitionError):
            await producer.send_and_wait("hope.never.declared", b"{}")
    finally:
        await producer.stop()


async def test_idempotent_producer_to_consumer_group_with_manual_commit(kafka: LocalKafka) -> None:
    topic = f"test.roundtrip.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka.bootstrap_servers, [topic], partitions=3)
    event_id = str(uuid.uuid4())
    headers = [("ce_id", event_id.encode()), ("ce_type", b"fr.hope.test.thing.happened.v1")]

    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        sent = await producer.send_and_wait(topic, b'{"n": 1}', key=b"beneficiary-1", headers=headers)
    finally:
        await producer.stop()

    group = f"test-group-{uuid.uuid4().hex[:8]}"
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka.bootstrap_servers,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        received = []
        for _ in range(50):
            batches = await consumer.getmany(timeout_ms=200)
            received = [record for records in batches.values() for record in records]
            if received:
                break
        await consumer.commit()
        partition = TopicPartition(topic, sent.partition)
        committed = await consumer.committed(partition)
    finally:
        await consumer.stop()

    assert len(received) == 1
    record = received[0]
    assert (record.key, record.value, record.offset) == (b"beneficiary-1", b'{"n": 1}', sent.offset)
    assert list(record.headers) == headers
    assert committed == sent.offset + 1


async def test_transactional_producer_commits(kafka: LocalKafka) -> None:
    topic = f"test.transactions.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka.bootstrap_servers, [topic], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, transactional_id=f"tx-{topic}")
    await producer.start()
    try:
        async with producer.transaction():
            await producer.send_and_wait(topic, b"inside")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=kafka.bootstrap_servers,
        isolation_level="read_committed",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        record = await consumer.getone()
    finally:
        await consumer.stop()
    assert record.value == b"inside"


def test_refuses_a_port_taken_by_another_process(distribution: KafkaDistribution, tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        server = LocalKafka(tmp_path, port=taken, zk_port=find_free_port(), distribution=distribution)

        with pytest.raises(PortInUseError, match=str(taken)):
            server.start()

    assert server.pids == []


async def test_context_manager_stops_broker_and_zookeeper(distribution: KafkaDistribution, tmp_path: Path) -> None:
    # Entered from a running event loop on purpose: start() must not need a loop of its own.
    with LocalKafka(tmp_path, port=find_free_port(), zk_port=find_free_port(), distribution=distribution) as server:
        pids = server.pids
        assert len(pids) == 2
        assert server.running()
        await ensure_topics(server.bootstrap_servers, ["test.lifecycle"], partitions=1)

    assert all(_gone(pid) for pid in pids)
    assert not server.running()
    assert "shut down completed" in server.broker_log.read_text()


async def test_a_consumer_group_joins_a_new_broker_without_coordinator_errors(
    distribution: KafkaDistribution, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A new broker has no offsets topic until a group asks for a coordinator; start() has already asked.
    caplog.set_level(logging.ERROR, logger="aiokafka")
    with LocalKafka(tmp_path, port=find_free_port(), zk_port=find_free_port(), distribution=distribution) as server:
        await ensure_topics(server.bootstrap_servers, ["test.first-group"], partitions=1)
        consumer = AIOKafkaConsumer(
            "test.first-group", bootstrap_servers=server.bootstrap_servers, group_id="first-group"
        )
        await consumer.start()
        try:
            await consumer.getmany(timeout_ms=2000)
            assigned = consumer.assignment()
        finally:
            await consumer.stop()

    assert assigned == {TopicPartition("test.first-group", 0)}
    assert [record.getMessage() for record in caplog.records if record.name.startswith("aiokafka")] == []


def test_restarts_on_the_same_data_after_a_hard_kill(distribution: KafkaDistribution, tmp_path: Path) -> None:
    port, zk_port = find_free_port(), find_free_port()
    killed = LocalKafka(tmp_path, port=port, zk_port=zk_port, distribution=distribution)
    killed.start()
    for pid in killed.pids:
        os.kill(pid, signal.SIGKILL)
    killed.stop()

    # The killed broker's registration outlives it in ZooKeeper until its session expires.
    with LocalKafka(tmp_path, port=port, zk_port=zk_port, distribution=distribution) as restarted:
        assert restarted.running()
