"""A consumer group keeps reading through a broker's restart (issue 12: training applied nobody new for minutes
after the faults): a consumer whose stop does not finish does not stay in its group, and a group assigned while
its topic's partitions were not yet known is assigned again once they are."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.cluster import ClusterMetadata
from aiokafka.consumer.group_coordinator import GroupCoordinator

from hope_infra.kafka import ensure_topics
from hopekit.events import consumer as consumer_module
from hopekit.events.consumer import EventConsumer
from hopekit.events.kafka import DLQ_TOPIC, RenewingProducer, make_producer

pytestmark = pytest.mark.integration

TOPIC = "hope.kittest.stops"


class StopThatHangs(AIOKafkaConsumer):
    """A poll that fails once told to, then a stop that never ends: as when the coordinator keeps retrying a commit
    against a broker that is away."""

    fail_polls = asyncio.Event()

    async def getmany(self, *partitions: Any, **options: Any) -> Any:
        if self.fail_polls.is_set():
            raise RuntimeError("the poll failed")
        return await super().getmany(*partitions, **options)

    async def stop(self) -> None:
        await asyncio.Event().wait()


async def group_members(bootstrap: str, group: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        answers = await admin.describe_consumer_groups([group])
        # DescribeGroups answers (error, group, state, protocol type, protocol, members).
        return sum(len(found[5]) for answer in answers for found in answer.groups)
    finally:
        await admin.close()


async def wait_for_members(bootstrap: str, group: str, count: int, within_s: float) -> int:
    deadline = time.monotonic() + within_s
    while True:
        members = await group_members(bootstrap, group)
        if members == count or time.monotonic() > deadline:
            return members
        await asyncio.sleep(0.5)


@contextlib.asynccontextmanager
async def consumer_running(
    bootstrap: str, group: str, topic: str
) -> AsyncIterator[tuple[asyncio.Task[None], RenewingProducer]]:
    """The kit's consumer of ``topic`` running as ``group`` (no handler: records are read and their offsets
    committed, nothing applied), and a producer; both stopped after."""
    producer = RenewingProducer(lambda: make_producer(bootstrap, "kit-test"))
    await producer.start()
    runner = EventConsumer[Any](
        name=group,
        topics=[topic],
        bootstrap=bootstrap,
        uow_factory=lambda: None,  # type: ignore[arg-type, return-value]
        handlers={},
        dlq_producer=producer,
    )
    task = asyncio.create_task(runner.run())
    try:
        yield task, producer
    finally:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        await producer.stop()


async def test_a_consumer_whose_stop_hangs_leaves_its_group_within_the_session_timeout(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await ensure_topics(kafka_bootstrap, [TOPIC, DLQ_TOPIC], partitions=2)
    monkeypatch.setattr(consumer_module, "AIOKafkaConsumer", StopThatHangs)
    monkeypatch.setattr(consumer_module, "STOP_TIMEOUT_S", 1.0)
    StopThatHangs.fail_polls = asyncio.Event()
    group = f"kittest.stops-{uuid.uuid4().hex[:8]}"
    async with consumer_running(kafka_bootstrap, group, TOPIC) as (task, _):
        assert await wait_for_members(kafka_bootstrap, group, 1, within_s=30) == 1
        StopThatHangs.fail_polls.set()
        with pytest.raises(RuntimeError, match="the poll failed"):
            await asyncio.wait_for(task, 30)
        # The session timeout is ten seconds; a member still beating would stay for five minutes.
        assert await wait_for_members(kafka_bootstrap, group, 0, within_s=25) == 0


async def committed(bootstrap: str, group: str, topic: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
        return sum(position.offset for partition, position in offsets.items() if partition.topic == topic)
    finally:
        await admin.close()


async def test_a_group_assigned_before_its_topics_partitions_were_known_reads_them_once_they_are(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after a broker restart, when the group is formed while the broker lists the topic but not yet its
    partitions: the member is assigned none (aiokafka: "No partition metadata for topic"), and must not wait for
    aiokafka's default five minutes before it looks at the topic again."""
    topic = f"hope.kittest.late-{uuid.uuid4().hex[:8]}"
    group = f"kittest.late-{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic, DLQ_TOPIC], partitions=1)
    hidden: set[str] = set()
    known = ClusterMetadata.partitions_for_topic
    assign = GroupCoordinator._perform_assignment
    assignments = 0

    def partitions_for_topic(cluster: ClusterMetadata, name: str) -> Any:
        return None if name in hidden else known(cluster, name)

    async def first_assignment_blind(coordinator: GroupCoordinator, *arguments: Any) -> Any:
        # The group's first assignment is made while the topic's partitions are unknown, the later ones normally.
        nonlocal assignments
        assignments += 1
        if assignments == 1:
            hidden.add(topic)
        try:
            return await assign(coordinator, *arguments)
        finally:
            hidden.clear()

    monkeypatch.setattr(ClusterMetadata, "partitions_for_topic", partitions_for_topic)
    monkeypatch.setattr(GroupCoordinator, "_perform_assignment", first_assignment_blind)
    async with consumer_running(kafka_bootstrap, group, topic) as (_, producer):
        assert await wait_for_members(kafka_bootstrap, group, 1, within_s=30) == 1
        await producer.send_and_wait(topic, value=b"{}", key=b"someone")
        deadline = time.monotonic() + 40
        while await committed(kafka_bootstrap, group, topic) < 1 and time.monotonic() < deadline:
            await asyncio.sleep(1)
        assert await committed(kafka_bootstrap, group, topic) == 1
        assert assignments >= 2, "the member was assigned again"
