"""A consumer whose stop does not finish must not stay in its group: the member that replaces it gets every
partition (issue 12: training applied nobody new for a minute after the faults)."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

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


async def test_a_consumer_whose_stop_hangs_leaves_its_group_within_the_session_timeout(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await ensure_topics(kafka_bootstrap, [TOPIC, DLQ_TOPIC], partitions=2)
    monkeypatch.setattr(consumer_module, "AIOKafkaConsumer", StopThatHangs)
    monkeypatch.setattr(consumer_module, "STOP_TIMEOUT_S", 1.0)
    StopThatHangs.fail_polls = asyncio.Event()
    group = f"kittest.stops-{uuid.uuid4().hex[:8]}"
    producer = RenewingProducer(lambda: make_producer(kafka_bootstrap, "kit-test"))
    await producer.start()
    runner = EventConsumer[Any](
        name=group,
        topics=[TOPIC],
        bootstrap=kafka_bootstrap,
        uow_factory=lambda: None,  # type: ignore[arg-type, return-value]
        handlers={},
        dlq_producer=producer,
    )
    task = asyncio.create_task(runner.run())
    try:
        assert await wait_for_members(kafka_bootstrap, group, 1, within_s=30) == 1
        StopThatHangs.fail_polls.set()
        with pytest.raises(RuntimeError, match="the poll failed"):
            await asyncio.wait_for(task, 30)
        # The session timeout is ten seconds; a member still beating would stay for five minutes.
        assert await wait_for_members(kafka_bootstrap, group, 0, within_s=25) == 0
    finally:
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        await producer.stop()
