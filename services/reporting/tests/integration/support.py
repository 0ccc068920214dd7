"""What the integration tests check answers and the outbox with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hope_infra.testing import PROBLEM, assert_problem, outbox_events
from reporting_service.adapters.tables import kit

SERVICE_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["PROBLEM", "SERVICE_ROOT", "assert_problem", "outbox"]


async def outbox(database_url: str) -> list[dict[str, Any]]:
    """The events written so far, payloads decoded (no Kafka here: they wait in the outbox)."""
    return await outbox_events(database_url, kit)
