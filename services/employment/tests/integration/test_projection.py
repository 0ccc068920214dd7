"""Enrolment's and training's events into the path projection: duplicates and any order give the same
picture, erasure keeps the counts and drops the person, and the whole loop runs over real Kafka."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import func, select

from employment_service.adapters import tables
from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.person_path import PathState
from employment_service.main import create_app
from hope_contracts import EventContract, enrolment, training
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer, kafka_record, running
from hopekit.uow import Database

from .conftest import settings_for
from .programme import NOW, TODAY, Person, Programme, new_siret
from .support import assert_problem

pytestmark = pytest.mark.integration


async def path_of(database: Database, beneficiary_id: uuid.UUID) -> Any:
    async with EmploymentUnitOfWork(database) as uow:
        return await uow.paths.get(beneficiary_id)


async def test_duplicates_and_any_order_give_the_same_path(programme: Programme) -> None:
    person, cohort = uuid.uuid4(), uuid.uuid4()
    created = enrolment.CohortCreated(
        cohort_id=cohort,
        sector_code="logistics",
        region="11",
        track="group",
        training_provider_org_id=programme.training_org,
        support_provider_org_id=programme.support_org,
        capacity=12,
        occurred_at=NOW,
    )
    step4 = enrolment.StepStarted(beneficiary_id=person, step=4, track="group", cohort_id=cohort, occurred_at=NOW)
    step3 = enrolment.StepStarted(
        beneficiary_id=person, step=3, track="group", cohort_id=cohort, occurred_at=NOW - timedelta(days=90)
    )
    member = enrolment.CohortMemberAdded(cohort_id=cohort, beneficiary_id=person, occurred_at=NOW)
    assert await programme.deliver(step4, "e-4")
    assert not await programme.deliver(step4, "e-4")  # the same event again: the inbox drops it
    for event in (step3, member, created):
        await programme.deliver(event)
    await programme.qualification(Person(person, cohort))
    path = await path_of(programme.database, person)
    assert (path.step, path.state, path.cohort_id) == (4, PathState.ACTIVE, cohort)
    assert (path.support_provider_org_id, path.training_provider_org_id) == (
        programme.support_org,
        programme.training_org,
    )
    assert path.qualification_result_in is True
    await programme.deliver(enrolment.PathwayCompleted(beneficiary_id=person, occurred_at=NOW))
    await programme.deliver(
        enrolment.BeneficiaryWithdrawn(
            beneficiary_id=person, reason="other", from_status="trade_qualification", occurred_at=NOW
        )
    )
    path = await path_of(programme.database, person)
    assert (path.state, path.withdrawal_reason) == (PathState.COMPLETED, None)


async def test_erasure_drops_the_link_to_the_person_and_keeps_the_counts(programme: Programme) -> None:
    company = await programme.company()
    person = await programme.person_in_step(4)
    contract = await programme.sign(company, person)
    await programme.withdraw(person, "employment_found", last_step=4)
    outcome = (await programme.record_outcome(person, TODAY - timedelta(days=100))).json()
    three = outcome["follow_ups"][0]["id"]
    done = await programme.client.post(
        f"/v1/follow-ups/{three}/complete",
        json={"observed_on": TODAY.isoformat(), "outcome_code": "cdi", "evidence_source": "contract_copy"},
        headers=programme.support,
    )
    assert done.status_code == 200, done.text
    await programme.deliver(enrolment.BeneficiaryErased(beneficiary_id=person.beneficiary_id, occurred_at=NOW))
    assert_problem(await programme.client.get(f"/v1/outcomes/{person.beneficiary_id}", headers=programme.operator), 404)
    kept = await programme.client.get(f"/v1/contracts/{contract['id']}", headers=programme.operator)
    assert kept.json()["beneficiary_id"] != str(person.beneficiary_id)
    async with programme.database.engine.connect() as connection:
        left = await connection.execute(
            select(tables.follow_ups.c.status, func.count()).group_by(tables.follow_ups.c.status)
        )
        assert dict(left.all()) == {"done": 1}  # the answered one stays counted; the due ones go
        for table in (tables.follow_ups, tables.work_study_contracts, tables.applications):
            mentions = await connection.scalar(
                select(func.count()).select_from(table).where(table.c.beneficiary_id == person.beneficiary_id)
            )
            assert mentions == 0, table.name
        audit = await connection.scalars(
            select(tables.kit.audit.c.action).where(tables.kit.audit.c.object_id == str(person.beneficiary_id))
        )
        assert "erase" in set(audit)
    # A late event does not bring the person back.
    await programme.deliver(
        enrolment.StepStarted(beneficiary_id=person.beneficiary_id, step=4, track="group", occurred_at=NOW)
    )
    path = await path_of(programme.database, person.beneficiary_id)
    assert (path.state, path.support_provider_org_id) == (PathState.ERASED, None)


async def employment_events(bootstrap: str, subject: str, type_suffix: str, wait_s: float = 20.0) -> list[Any]:
    consumer = AIOKafkaConsumer(
        "hope.employment.events",
        bootstrap_servers=bootstrap,
        group_id=f"test-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    found: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + wait_s
        while asyncio.get_running_loop().time() < deadline and not found:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                found += [
                    r
                    for r in records
                    if dict(r.headers).get("ce_subject") == subject.encode()
                    and dict(r.headers)["ce_type"].decode().endswith(type_suffix)
                ]
        for records in (await consumer.getmany(timeout_ms=1500)).values():  # a second copy would be a duplicate
            found += [
                r
                for r in records
                if dict(r.headers).get("ce_subject") == subject.encode()
                and dict(r.headers)["ce_type"].decode().endswith(type_suffix)
            ]
    finally:
        await consumer.stop()
    return found


async def test_step_4_to_contract_to_qualification_to_outcome_over_kafka(
    postgres_url: str, kafka_bootstrap: str, issuer: TokenIssuer
) -> None:
    person, cohort, support, trainer, org = (uuid.uuid4() for _ in range(5))
    incoming = [
        enrolment.CohortCreated(
            cohort_id=cohort,
            sector_code="logistics",
            region="11",
            track="group",
            training_provider_org_id=trainer,
            support_provider_org_id=support,
            capacity=12,
            occurred_at=NOW,
        ),
        enrolment.StepStarted(beneficiary_id=person, step=3, track="group", cohort_id=cohort, occurred_at=NOW),
        enrolment.StepStarted(beneficiary_id=person, step=4, track="group", cohort_id=cohort, occurred_at=NOW),
        enrolment.ConsentChanged(
            beneficiary_id=person, purpose="data_sharing_with_partners", given=True, occurred_at=NOW
        ),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()

    async def send(contract: EventContract, times: int = 1) -> None:
        key, value, headers = kafka_record(contract, time=NOW)
        for _ in range(times):
            await producer.send_and_wait(contract.topic(), value=value, key=key, headers=headers)

    app = create_app(settings_for(postgres_url, issuer, kafka_bootstrap))
    try:
        for contract in incoming:
            await send(contract, times=2)  # every event delivered twice
        async with running(app) as http:
            database: Database = app.state.database
            for _ in range(200):
                path = await path_of(database, person)
                if path is not None and path.step == 4 and path.support_provider_org_id == support:
                    break
                await asyncio.sleep(0.1)
            employer = issuer.headers(OrgKind.EMPLOYER, Role.WRITER, org_id=org)
            body = {
                "siret": new_siret(),
                "name": "Durand",
                "naf_code": "49.41A",
                "akto_member": True,
                "sector_codes": ["logistics"],
            }
            employer_id = (await http.post("/v1/employers", json=body, headers=employer)).json()["id"]
            site = (
                await http.post(
                    f"/v1/employers/{employer_id}/establishments", json={"commune_code": "75056"}, headers=employer
                )
            ).json()
            start = TODAY + timedelta(days=3)
            signed = await http.post(
                "/v1/contracts",
                json={
                    "employer_id": employer_id,
                    "establishment_id": site["id"],
                    "beneficiary_id": str(person),
                    "contract_type": "apprenticeship",
                    "starts_on": start.isoformat(),
                    "planned_end_on": (start + timedelta(days=300)).isoformat(),
                    "hours_per_week": "35",
                    "tutor_ref": "T-1",
                    "trial_ends_on": (start + timedelta(days=45)).isoformat(),
                },
                headers=employer,
            )
            assert signed.status_code == 201, signed.text
            await send(
                training.QualificationAwarded(
                    qualification_id=uuid.uuid4(),
                    beneficiary_id=person,
                    rncp_code="RNCP38466",
                    result="awarded",
                    awarded_on=TODAY,
                    occurred_at=NOW,
                ),
            )
            for _ in range(200):
                path = await path_of(database, person)
                if path.qualification_result_in:
                    break
                await asyncio.sleep(0.1)
            assert path.qualification_result_in
            outcome = await http.post(
                "/v1/outcomes",
                json={
                    "beneficiary_id": str(person),
                    "exit_on": TODAY.isoformat(),
                    "outcome_code": "work_study",
                    "evidence_source": "contract_copy",
                    "employer_id": employer_id,
                    "weekly_hours": "35",
                },
                headers=issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.WRITER, org_id=support),
            )
            assert outcome.status_code == 201, outcome.text
            assert [f["months_after_exit"] for f in outcome.json()["follow_ups"]] == [3, 6, 12]
            published = await employment_events(kafka_bootstrap, str(person), "outcome.recorded.v1")
            # The person consented to data sharing before leaving: France Travail sees the follow-ups at once.
            france_travail = issuer.headers(OrgKind.PUBLIC_EMPLOYMENT, Role.WRITER, org_id=uuid.uuid4())
            seen = (await http.get("/v1/follow-ups", headers=france_travail)).json()["items"]
            assert [(f["beneficiary_id"], f["months_after_exit"]) for f in seen] == [
                (str(person), 3),
                (str(person), 6),
                (str(person), 12),
            ]
            # Enrolment completes the path on this event; its `completed` comes back and closes the projection.
            await send(enrolment.PathwayCompleted(beneficiary_id=person, occurred_at=NOW))
            for _ in range(200):
                if (await path_of(database, person)).state is PathState.COMPLETED:
                    break
                await asyncio.sleep(0.1)
            assert (await path_of(database, person)).state is PathState.COMPLETED
    finally:
        await producer.stop()
    assert len(published) == 1
    payload = json.loads(published[0].value)
    assert (payload["outcome_code"], payload["counts_as_employed"], payload["employer_id"]) == (
        "work_study",
        True,
        employer_id,
    )
    assert "Durand" not in published[0].value.decode()
