"""The platform's Kafka topics and their idempotent creation."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import TopicAlreadyExistsError, for_code

from hope_contracts import registry

# One topic per publishing service of the registry (planned ones too, so that their consumers can be written
# first), and the dead letters.
PLATFORM_TOPICS: tuple[str, ...] = registry.topics()
DEAD_LETTERS = registry.DEAD_LETTERS

# The domain topics are the platform's history: reporting rebuilds its read models from their beginning
# (`hope-reporting rebuild`), so they keep every event, without a time or size limit. The dead letters keep the
# broker's default.
KEEP_HISTORY: dict[str, str] = {"retention.ms": "-1", "retention.bytes": "-1"}


def topic_configs(name: str) -> dict[str, str]:
    """The settings a platform topic is created with (and brought back to when it exists)."""
    return dict(KEEP_HISTORY) if name in PLATFORM_TOPICS and name != DEAD_LETTERS else {}


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
    its partitions. Existing topics keep their partition count; a domain topic's retention is set to keep its
    history (``topic_configs``) whether it is new or not."""
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
                [NewTopic(name, partitions, replication, topic_configs=topic_configs(name)) for name in missing],
                timeout_ms=int(wait_seconds * 1000),
            )
            for result in response.to_object()["topic_errors"]:
                error = for_code(result["error_code"])
                if result["error_code"] != 0 and error is not TopicAlreadyExistsError:
                    detail = result.get("error_message") or error.__name__
                    raise TopicCreationError(f"cannot create topic {result['topic']}: {detail}")
        await _wait_until_visible(admin, wanted, time.monotonic() + wait_seconds)
        await _keep_history(admin, [name for name in wanted if name in existing and topic_configs(name)])
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


async def _keep_history(admin: AIOKafkaAdminClient, names: list[str]) -> None:
    """Topics made before the platform kept its history (or by hand) are brought to ``KEEP_HISTORY``."""
    if not names:
        return
    described = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name) for name in names])
    current = {
        resource[3]: {entry[0]: entry[1] for entry in resource[4]}
        for response in described
        for resource in response.resources
    }
    stale = [name for name in names if any(current.get(name, {}).get(k) != v for k, v in KEEP_HISTORY.items())]
    if stale:
        # AlterConfigs replaces a topic's overrides: the platform owns its topics' settings.
        await admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name, topic_configs(name)) for name in stale]
        )


def _ready(topic: dict[str, Any]) -> bool:
    partitions: list[dict[str, Any]] = topic["partitions"]
    return topic["error_code"] == 0 and bool(partitions) and all(p["leader"] >= 0 for p in partitions)
