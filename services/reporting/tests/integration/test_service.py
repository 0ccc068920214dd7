"""The reporting service runs on SQLite and PostgreSQL, says it is ready, shows its metrics, and its AsyncAPI
document receives from every domain topic and sends on none (reporting publishes nothing)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.integration

DOMAIN_TOPICS = {f"hope.{name}.events" for name in ("enrolment", "training", "support", "funding", "employment")}


async def test_the_service_is_ready_and_shows_how_complete_its_read_models_are(client: httpx.AsyncClient) -> None:
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "# HELP hope_reporting_complete_up_to_seconds" in metrics.text


async def test_it_receives_from_every_domain_topic_and_sends_nothing(client: httpx.AsyncClient) -> None:
    document = (await client.get("/asyncapi")).json()
    assert {channel["address"] for channel in document["channels"].values()} == DOMAIN_TOPICS
    assert {operation["action"] for operation in document["operations"].values()} == {"receive"}
