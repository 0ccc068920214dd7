"""What the path-closure tests share: a person in step 3 with their hours done, and the events that close a path."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from hope_contracts import employment, training
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .conftest import deliver, received
from .test_step_four_api import AKTO, SCHOOL, TODAY, as_, course_completed, in_step_3, start_step_4

NOW = datetime.now(UTC)
STEP_4 = "step_4_started"
QUALIFICATION = "qualification_result_in"
OUTCOME = "outcome_recorded"
COMPLETED = "fr.hope.enrolment.beneficiary.completed.v1"


def qualification_awarded(person: str) -> training.QualificationAwarded:
    return training.QualificationAwarded(
        qualification_id=uuid.uuid4(),
        beneficiary_id=uuid.UUID(person),
        rncp_code="RNCP38466",
        result="awarded",
        awarded_on=TODAY,
        occurred_at=NOW,
    )


def outcome_recorded(person: str) -> employment.OutcomeRecorded:
    return employment.OutcomeRecorded(
        beneficiary_id=uuid.UUID(person),
        outcome_code="work_study",
        exit_on=TODAY,
        evidence_source="contract_copy",
        counts_as_employed=True,
        occurred_at=NOW,
    )


async def ready_for_step_4(
    client: httpx.AsyncClient,
    issuer: TokenIssuer,
    registration: Any,
    prerequisites: Any,
    database: Database,
) -> str:
    """A person in step 3 whose hours training reported done: step 4 may start."""
    person, _ = await in_step_3(client, issuer, registration, prerequisites, step_4_starts_on=TODAY - timedelta(1))
    assert await deliver(database, received(course_completed(person)))
    return person


async def start_4(client: httpx.AsyncClient, issuer: TokenIssuer, person: str) -> dict[str, Any]:
    started = await start_step_4(client, person, as_(issuer, OrgKind.TRAINING_PROVIDER, SCHOOL))
    assert started.status_code == 200, started.text
    return dict(started.json())


async def status_of(client: httpx.AsyncClient, issuer: TokenIssuer, person: str) -> str:
    read = await client.get(
        f"/v1/beneficiaries/{person}", headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO, Role.READER)
    )
    assert read.status_code == 200, read.text
    return str(read.json()["pathway"]["status"])


async def withdraw_for_a_job(client: httpx.AsyncClient, issuer: TokenIssuer, person: str) -> None:
    withdrawn = await client.post(
        f"/v1/beneficiaries/{person}/pathway/transitions",
        json={"action": "withdraw", "withdrawal_reason": "employment_found"},
        headers=as_(issuer, OrgKind.PROGRAMME_OPERATOR, AKTO),
    )
    assert withdrawn.status_code == 200, withdrawn.text
