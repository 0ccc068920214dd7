"""The gateway tells the platform about its partner organisations: each registration, activation and deactivation
writes its event to the outbox in the same transaction as the change, carrying the id and kind only."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gateway_service.adapters.tables import kit
from gateway_service.cli import create_first_admin
from gateway_service.domain.scopes import vocabulary
from gateway_service.main import create_app
from hope_contracts.vocabulary import OrgKind
from hopekit.testing import running

from .conftest import GATEWAY_ROOT, Platform, fresh_database

pytestmark = pytest.mark.integration

REGISTERED = "fr.hope.gateway.organisation.registered.v1"
ACTIVATED = "fr.hope.gateway.organisation.activated.v1"
DEACTIVATED = "fr.hope.gateway.organisation.deactivated.v1"


@dataclass
class Gateway:
    http: httpx.AsyncClient
    app: Any
    headers: dict[str, str]

    async def events(self) -> list[dict[str, Any]]:
        async with self.app.state.database.engine.connect() as connection:
            rows = await connection.execute(
                select(kit.outbox.c.type, kit.outbox.c.topic, kit.outbox.c.key, kit.outbox.c.payload).order_by(
                    kit.outbox.c.position
                )
            )
            return [{"type": row.type, "topic": row.topic, "key": row.key, **json.loads(row.payload)} for row in rows]


@pytest.fixture
async def gateway(platform: Platform, postgres_admin_url: str) -> AsyncIterator[Gateway]:
    """A gateway of its own without Kafka: what it publishes waits in its outbox, where the test reads it."""
    async with fresh_database(postgres_admin_url, GATEWAY_ROOT) as database:
        settings = platform.settings.model_copy(update={"database_url": database, "kafka_bootstrap": None})
        app = create_app(settings)
        async with running(app) as http:
            issued = await create_first_admin(
                app.state.uow_factory, "AKTO", "bootstrap-admin", vocabulary(platform.settings.upstreams)
            )
            token = await http.post(
                "/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": issued.client.client_id,
                    "client_secret": issued.secret,
                },
            )
            assert token.status_code == 200, token.text
            yield Gateway(http, app, {"Authorization": f"Bearer {token.json()['access_token']}"})


async def test_registering_an_organisation_publishes_its_id_and_kind_only(gateway: Gateway) -> None:
    created = await gateway.http.post(
        "/admin/v1/organisations",
        json={"name": "École du Bâtiment", "org_kind": "training_provider", "siret": "73282932000074"},
        headers=gateway.headers,
    )
    assert created.status_code == 201, created.text
    org_id = created.json()["id"]

    events = [event for event in await gateway.events() if event.get("organisation_id") == org_id]

    assert [event["type"] for event in events] == [REGISTERED]
    event = events[0]
    assert event["topic"] == "hope.gateway.events"
    assert event["key"] == org_id
    assert event["org_kind"] == "training_provider"
    assert event["active"] is True
    assert "name" not in event
    assert "siret" not in event


async def test_the_first_admin_s_organisation_is_published_too(gateway: Gateway) -> None:
    kinds = [(event["type"], event["org_kind"]) for event in await gateway.events()]

    assert (REGISTERED, "programme_operator") in kinds


async def test_deactivating_and_reactivating_publish_one_event_each_change(gateway: Gateway) -> None:
    created = await gateway.http.post(
        "/admin/v1/organisations", json={"name": "ETTI Sud", "org_kind": "support_provider"}, headers=gateway.headers
    )
    org_id = created.json()["id"]
    for active in (False, False, True):
        changed = await gateway.http.patch(
            f"/admin/v1/organisations/{org_id}", json={"active": active}, headers=gateway.headers
        )
        assert changed.status_code == 200, changed.text

    events = [event["type"] for event in await gateway.events() if event.get("organisation_id") == org_id]

    # Deactivating an organisation that is already inactive changes nothing, so it publishes nothing.
    assert events == [REGISTERED, DEACTIVATED, ACTIVATED]


async def test_a_refused_change_publishes_nothing(gateway: Gateway) -> None:
    first = await gateway.http.post(
        "/admin/v1/organisations", json={"name": "Twice", "org_kind": "employer"}, headers=gateway.headers
    )
    again = await gateway.http.post(
        "/admin/v1/organisations", json={"name": "Twice", "org_kind": "employer"}, headers=gateway.headers
    )
    assert (first.status_code, again.status_code) == (201, 409)

    registered = [event for event in await gateway.events() if event["type"] == REGISTERED]

    assert [event["organisation_id"] for event in registered].count(first.json()["id"]) == 1
    assert len(registered) == 2  # the operator and the first "Twice"


async def test_enrolment_learns_the_partners_from_the_gateway_s_events_over_kafka(platform: Platform) -> None:
    """The whole way: the gateway's relay publishes, enrolment's consumer projects, the cohort rule reads it."""
    school = await platform.organisation(OrgKind.TRAINING_PROVIDER)
    etti = await platform.organisation(OrgKind.SUPPORT_PROVIDER)
    employer = await platform.organisation(OrgKind.EMPLOYER)
    headers = await platform.headers(platform.admin)

    def cohort(training: uuid.UUID) -> dict[str, Any]:
        return {
            "name": "Logistique Marseille",
            "sector_code": "logistics",
            "region": "93",
            "training_provider_org_id": str(training),
            "support_provider_org_id": str(etti),
            "capacity": 6,
        }

    deadline = time.monotonic() + 30
    while True:
        created = await platform.http.post("/api/enrolment/v1/cohorts", json=cohort(school), headers=headers)
        if created.status_code != 422 or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert created.status_code == 201, created.text

    refused = await platform.http.post("/api/enrolment/v1/cohorts", json=cohort(employer), headers=headers)
    assert refused.status_code == 422, refused.text
    assert [error["field"] for error in refused.json()["errors"]] == ["training_provider_org_id"]
