"""The platform's Kafka topics and their idempotent creation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from hope_contracts import registry

# One topic per publishing service of the registry (planned ones too, so that their consumers can be written
# first), and the dead letters.
PLATFORM_TOPICS: tuple[str, ...] = registry.topics()
DEAD_LETTERS = registry.DEAD_LETTERS


class TopicCreationError(RuntimeError):
    """The broker refused to create a topic, or did not show it in time."""


async def ensure_topics(
    bootstrap: str,
    names: Iterable[str],
    partitions: int = 6,
    replication: int = 1,
    *,
    wait_seconds: float = 30.0,
) -> None:
    """Create the topics that do not exist yet and wait until every one of them has leaders for all
    its partitions. Existing topics are left as they are, whatever their partition count."""
    wanted = sorted(set(names))
    if not wanted:
        return
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=int(wait_seconds * 1000))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if missing:
            response = await admin.create_topics(
                [NewTopic(name, partitions, replication) for name in missing],
                timeout_ms=int(wait_seconds * 1000),
            )
            for result in response.to_object()["topic_errors"]:
                error = for_code(result["error_code"])
                if result["error_code"] != 0 and error is not TopicAlreadyExistsError:
                    detail = result.get("error_message") or error.__name__
                    raise TopicCreationError(f"cannot create topic {result['topic']}: {detail}")
        await _wait_until_visible(admin, wanted, time.monotonic() + wait_seconds)
    finally:
        await admin.close()


async def _wait_until_visible(admin: AIOKafkaAdminClient, names: list[str], deadline: float) -> None:
    while True:
        described: list[dict[str, Any]] = await admin.describe_topics(names)
        pending = [topic["topic"] for topic in described if not _ready(topic)]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise TopicCreationError(f"topics not ready in time: {', '.join(sorted(pending))}")
        await asyncio.sleep(0.1)


def _ready(topic: dict[str, Any]) -> bool:
    partitions: list[dict[str, Any]] = topic["partitions"]
    return topic["error_code"] == 0 and bool(partitions) and all(p["leader"] >= 0 for p in partitions)
