"""The partners around employment in a test: enrolment's and training's events delivered by hand, the
organisations' calls over HTTP."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.events.incoming import CONSUMERS
from hope_contracts import EventContract, enrolment, training
from hopekit.events.cloudevent import ReceivedEvent
from hopekit.events.subscriptions import process
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

CONSUMER = "employment.path-projection"
NOW = datetime.now(UTC)
TODAY = NOW.date()


def _luhn_completed(digits: str) -> str:
    """`digits` and the one check digit that makes the whole Luhn-valid."""
    for check in "0123456789":
        candidate = digits + check
        total = sum(
            (v * 2 - 9 if v * 2 > 9 else v * 2) if i % 2 else v
            for i, v in enumerate(int(c) for c in reversed(candidate))
        )
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def new_siret() -> str:
    """A fresh valid SIRET: a Luhn-valid SIREN, then a NIC making the 14 digits Luhn-valid too."""
    siren = _luhn_completed(f"{secrets.randbelow(10**8):08d}")
    if siren.startswith("356000000"):  # La Poste numbers its establishments another way
        return new_siret()
    return _luhn_completed(siren + f"{secrets.randbelow(10**4):04d}")


def received(contract: EventContract, event_id: str | None = None) -> ReceivedEvent:
    source = "/hope/training" if contract.event_type.startswith("fr.hope.training") else "/hope/enrolment"
    return ReceivedEvent(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=contract.event_type,
        subject=contract.subject(),
        time=datetime.now(UTC),
        key=contract.partition_key(),
        data=contract.model_dump(mode="json"),
        topic=contract.topic(),
        partition=0,
        offset=0,
    )


@dataclass
class Person:
    beneficiary_id: uuid.UUID
    cohort_id: uuid.UUID


@dataclass
class Company:
    employer_id: uuid.UUID
    org_id: uuid.UUID
    establishment_id: uuid.UUID


@dataclass
class Programme:
    client: httpx.AsyncClient
    issuer: TokenIssuer
    database: Database
    support_org: uuid.UUID = field(default_factory=uuid.uuid4)
    training_org: uuid.UUID = field(default_factory=uuid.uuid4)

    def as_(self, kind: OrgKind, org_id: uuid.UUID | None = None, role: Role = Role.WRITER) -> dict[str, str]:
        return self.issuer.headers(kind, role, org_id=org_id)

    @property
    def operator(self) -> dict[str, str]:
        return self.as_(OrgKind.PROGRAMME_OPERATOR)

    @property
    def support(self) -> dict[str, str]:
        return self.as_(OrgKind.SUPPORT_PROVIDER, self.support_org)

    @property
    def trainer(self) -> dict[str, str]:
        return self.as_(OrgKind.TRAINING_PROVIDER, self.training_org, Role.READER)

    async def deliver(self, contract: EventContract, event_id: str | None = None) -> bool:
        event = received(contract, event_id)
        return await process(CONSUMER, EmploymentUnitOfWork(self.database), CONSUMERS[0].handlers[event.type], event)

    async def person_in_step(self, step: int, *, cohort_id: uuid.UUID | None = None) -> Person:
        """A person in a cohort (whose providers are this programme's) who has started `step`."""
        person = Person(uuid.uuid4(), cohort_id or uuid.uuid4())
        if cohort_id is None:
            await self.deliver(
                enrolment.CohortCreated(
                    cohort_id=person.cohort_id,
                    sector_code="logistics",
                    region="11",
                    track="group",
                    training_provider_org_id=self.training_org,
                    support_provider_org_id=self.support_org,
                    capacity=12,
                    occurred_at=NOW,
                )
            )
        for number in range(3, step + 1):
            await self.deliver(
                enrolment.StepStarted(
                    beneficiary_id=person.beneficiary_id,
                    step=number,
                    track="group",
                    cohort_id=person.cohort_id,
                    occurred_at=NOW,
                )
            )
        return person

    async def qualification(self, person: Person, result: str = "awarded") -> None:
        await self.deliver(
            training.QualificationAwarded(
                qualification_id=uuid.uuid4(),
                beneficiary_id=person.beneficiary_id,
                rncp_code="RNCP38466",
                result=result,
                awarded_on=TODAY,
                occurred_at=NOW,
            )
        )

    async def withdraw(self, person: Person, reason: str = "employment_found", last_step: int = 3) -> None:
        await self.deliver(
            enrolment.BeneficiaryWithdrawn(
                beneficiary_id=person.beneficiary_id,
                reason=reason,
                from_status="french_qualification" if last_step == 3 else "trade_qualification",
                last_step=last_step,
                occurred_at=NOW,
            )
        )

    async def company(self, org_id: uuid.UUID | None = None, commune: str = "75056") -> Company:
        """An employer organisation registering itself, with one establishment."""
        org_id = org_id or uuid.uuid4()
        headers = self.as_(OrgKind.EMPLOYER, org_id)
        body = {
            "siret": new_siret(),
            "name": "Transports Durand",
            "naf_code": "49.41A",
            "akto_member": True,
            "sector_codes": ["logistics"],
            "hr_contact": {
                "full_name": "Claire Martin",
                "email": "claire.martin@durand.example",
                "phone": "01 23 45 67 89",
            },
        }
        created = await self.client.post("/v1/employers", json=body, headers=headers)
        assert created.status_code == 201, created.text
        employer_id = created.json()["id"]
        site = await self.client.post(
            f"/v1/employers/{employer_id}/establishments", json={"commune_code": commune}, headers=headers
        )
        assert site.status_code == 201, site.text
        return Company(uuid.UUID(employer_id), org_id, uuid.UUID(site.json()["id"]))

    def contract_body(self, company: Company, person: Person, **changes: Any) -> dict[str, Any]:
        start = TODAY + timedelta(days=7)
        return {
            "employer_id": str(company.employer_id),
            "establishment_id": str(company.establishment_id),
            "beneficiary_id": str(person.beneficiary_id),
            "contract_type": "professionalisation",
            "starts_on": start.isoformat(),
            "planned_end_on": (start + timedelta(days=365)).isoformat(),
            "hours_per_week": "35.00",
            "tutor_ref": "TUT-042",
            "trial_ends_on": (start + timedelta(days=30)).isoformat(),
            **changes,
        }

    async def sign(self, company: Company, person: Person) -> dict[str, Any]:
        signed = await self.client.post(
            "/v1/contracts",
            json=self.contract_body(company, person),
            headers=self.as_(OrgKind.EMPLOYER, company.org_id),
        )
        assert signed.status_code == 201, signed.text
        result: dict[str, Any] = signed.json()
        return result

    async def record_outcome(
        self, person: Person, exit_on: date, code: str = "cdi", headers: dict[str, str] | None = None
    ) -> httpx.Response:
        body = {
            "beneficiary_id": str(person.beneficiary_id),
            "exit_on": exit_on.isoformat(),
            "outcome_code": code,
            "evidence_source": "contract_copy",
        }
        return await self.client.post("/v1/outcomes", json=body, headers=headers or self.support)
