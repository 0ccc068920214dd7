"""A registration over HTTP, on PostgreSQL and real Kafka, produces exactly one CloudEvent without identity."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer

from .conftest import Enrolment

pytestmark = pytest.mark.integration

TOPIC = "hope.enrolment.events"


async def records_about(bootstrap: str, subject: str, wait_s: float = 15.0) -> list[Any]:
    consumer = AIOKafkaConsumer(
        TOPIC, bootstrap_servers=bootstrap, group_id=f"test-{uuid.uuid4().hex[:8]}", auto_offset_reset="earliest"
    )
    await consumer.start()
    found: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + wait_s
        while asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                found.extend(r for r in records if dict(r.headers).get("ce_subject") == subject.encode())
            if found:
                # Keep reading briefly: a second copy would be a duplicate publication.
                extra = await consumer.getmany(timeout_ms=1500)
                for records in extra.values():
                    found.extend(r for r in records if dict(r.headers).get("ce_subject") == subject.encode())
                break
    finally:
        await consumer.stop()
    return found


async def test_registration_produces_exactly_one_cloudevent_without_identity(
    enrolment: Enrolment, postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer, registration: Any
) -> None:
    body = registration()
    headers = issuer.headers(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    async with enrolment(postgres_url, kafka=kafka_bootstrap) as http:
        response = await http.post("/v1/beneficiaries", json=body, headers=headers)
        assert response.status_code == 201, response.text
        beneficiary_id = response.json()["id"]
        records = await records_about(kafka_bootstrap, beneficiary_id)

    assert len(records) == 1
    record = records[0]
    headers_ = {key: value.decode() for key, value in record.headers}
    assert headers_["ce_specversion"] == "1.0"
    assert headers_["ce_type"] == "fr.hope.enrolment.beneficiary.registered.v1"
    assert headers_["ce_source"] == "/hope/enrolment"
    assert headers_["ce_subject"] == beneficiary_id
    assert uuid.UUID(headers_["ce_id"])
    assert headers_["ce_time"].endswith("Z")
    assert headers_["content-type"] == "application/json"
    assert record.key == beneficiary_id.encode()
    payload = json.loads(record.value)
    assert payload["beneficiary_id"] == beneficiary_id
    assert payload["protection_status"] == "refugee"
    raw = record.value.decode()
    for identity_value in (
        body["given_name"],
        body["family_name"],
        body["birth_date"],
        body["ofii_number"],
        body["email"],
        body["phone"],
        body["nationality"],
    ):
        assert identity_value not in raw
