"""An indicator's answer is given again, not computed, while the facts stand still; once an event has moved
them, the same request is computed afresh and shows it."""

from __future__ import annotations

import uuid

import httpx
import pytest

from hope_contracts import enrolment
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import received
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from reporting_service.service_layer.kept_answers import ANSWERS

from .conftest import deliver
from .scenario import at

pytestmark = pytest.mark.integration


def _registered(day: float) -> enrolment.BeneficiaryRegistered:
    return enrolment.BeneficiaryRegistered(
        beneficiary_id=uuid.uuid4(),
        track="group",
        protection_status="refugee",
        registered_by_org_id=uuid.uuid4(),
        occurred_at=at(day),
    )


def _kept() -> float:
    return ANSWERS.labels("kept")._value.get()


async def _entered(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.get("/v1/indicators/entries", params={"by": "month"}, headers=headers)
    assert response.status_code == 200, response.text
    total = response.json()["groups"][-1]
    assert total["group"] == "total"
    return int(total["people"])


async def test_an_answer_is_kept_while_the_facts_stand_still_and_computed_again_once_an_event_moved_them(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    headers = issuer.headers(OrgKind.PROGRAMME_OPERATOR, Role.REPORTING)
    for day in range(5):
        await deliver(database, received(_registered(day)))
    assert await _entered(client, headers) == 5

    kept = _kept()
    assert await _entered(client, headers) == 5
    assert _kept() == kept + 1

    # Older than the others, at the same offset (0, as every event in tests): neither the partition's mark nor
    # its offset moves, the facts do.
    await deliver(database, received(_registered(2.5)))
    assert await _entered(client, headers) == 6
    assert _kept() == kept + 1
