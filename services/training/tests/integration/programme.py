"""The programme around the training service in tests: its partner organisations, what enrolment tells
training (as events), and the calls a provider makes to open a course, plan sessions and fill sheets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from hope_contracts import enrolment
from hope_contracts.vocabulary import OrgKind, Role
from hope_infra.testing import PROBLEM as PROBLEM
from hope_infra.testing import assert_problem as assert_problem
from hope_infra.testing import outbox_events
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from training_service.adapters.tables import kit

from .conftest import deliver, received

AKTO = uuid.uuid4()
OFII = uuid.uuid4()
SCHOOL = uuid.uuid4()
OTHER_SCHOOL = uuid.uuid4()
EMPLOYER = uuid.uuid4()


RAISED = "fr.hope.training.absence_alert.raised.v1"
RECORDED = "fr.hope.training.session.attendance_recorded.v1"
COMPLETED = "fr.hope.training.course.completed.v1"
ATTESTED = "fr.hope.training.assessment.language_level_attested.v1"
AWARDED = "fr.hope.training.qualification.awarded.v1"
SCHEDULED = "fr.hope.training.course.scheduled.v1"
SESSIONS_SCHEDULED = "fr.hope.training.course.sessions_scheduled.v1"


def today() -> date:
    """The alert rules look at the sessions held up to today, so tests place sessions around it."""
    return datetime.now(UTC).date()


def days_ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


async def outbox(database_url: str, event_type: str | None = None) -> list[dict[str, Any]]:
    return await outbox_events(database_url, kit, event_type)


@dataclass
class Cohort:
    id: uuid.UUID
    people: list[uuid.UUID]


class Programme:
    """Enrolment's side is delivered as events; training's side goes through the HTTP API."""

    def __init__(self, http: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> None:
        self.http, self.issuer, self.database = http, issuer, database

    def as_(self, kind: OrgKind, org: uuid.UUID, role: Role = Role.WRITER) -> dict[str, str]:
        return self.issuer.headers(kind, role, org_id=org)

    def as_school(self, role: Role = Role.WRITER, org: uuid.UUID = SCHOOL) -> dict[str, str]:
        return self.as_(OrgKind.TRAINING_PROVIDER, org, role)

    def as_operator(self, role: Role = Role.WRITER) -> dict[str, str]:
        return self.as_(OrgKind.PROGRAMME_OPERATOR, AKTO, role)

    def as_ofii(self, role: Role = Role.WRITER) -> dict[str, str]:
        return self.as_(OrgKind.IMMIGRATION_OFFICE, OFII, role)

    def as_employer(self) -> dict[str, str]:
        return self.as_(OrgKind.EMPLOYER, EMPLOYER, Role.ADMIN)

    async def register(self, person: uuid.UUID, track: str = "group", office: uuid.UUID = OFII) -> None:
        """Enrolment's registration of ``person`` by the immigration office ``office``."""
        registered = enrolment.BeneficiaryRegistered(
            beneficiary_id=person,
            track=track,
            protection_status="refugee",
            registered_by_org_id=office,
            occurred_at=datetime.now(UTC),
        )
        assert await deliver(self.database, received(registered))

    async def start_step(self, person: uuid.UUID, step: int, cohort: uuid.UUID | None = None) -> None:
        track = "group" if cohort is not None else "individual"
        await self.register(person, track)
        started = enrolment.StepStarted(
            beneficiary_id=person, step=step, track=track, cohort_id=cohort, occurred_at=datetime.now(UTC)
        )
        assert await deliver(self.database, received(started))

    async def individual(self, step: int = 3, provider: uuid.UUID = SCHOOL) -> uuid.UUID:
        """A person on the individual track whose path names ``provider`` (their individual-track cohort is
        trained by it), who has started ``step``."""
        return (await self.cohort(size=1, step=step, provider=provider, track="individual")).people[0]

    async def cohort(
        self,
        size: int = 2,
        step: int = 3,
        provider: uuid.UUID = SCHOOL,
        track: str = "group",
        calendar: tuple[enrolment.StepPeriod, ...] = (),
    ) -> Cohort:
        """A cohort trained by ``provider`` whose members have started ``step`` (with ``calendar``, when given)."""
        found = Cohort(uuid.uuid4(), [uuid.uuid4() for _ in range(size)])
        created = enrolment.CohortCreated(
            cohort_id=found.id,
            sector_code="logistics",
            region="84",
            track=track,
            training_provider_org_id=provider,
            support_provider_org_id=uuid.uuid4(),
            capacity=12,
            calendar=calendar,
            occurred_at=datetime.now(UTC),
        )
        assert await deliver(self.database, received(created))
        for person in found.people:
            await self.register(person, track)
            started = enrolment.StepStarted(
                beneficiary_id=person, step=step, track=track, cohort_id=found.id, occurred_at=datetime.now(UTC)
            )
            assert await deliver(self.database, received(started))
        return found

    async def course(
        self,
        *,
        step: int = 3,
        cohort: Cohort | None = None,
        person: uuid.UUID | None = None,
        provider: uuid.UUID = SCHOOL,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A course over the last and the next six weeks, opened by its provider unless told otherwise."""
        body = {
            "step": step,
            "provider_org_id": str(provider),
            "starts_on": days_ago(42),
            "ends_on": (today() + timedelta(weeks=6)).isoformat(),
            **({"cohort_id": str(cohort.id)} if cohort else {}),
            **({"beneficiary_id": str(person)} if person else {}),
            **fields,
        }
        response = await self.http.post("/v1/courses", json=body, headers=headers or self.as_school(org=provider))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def session(
        self, course: dict[str, Any], held_on: str, starts_at: str = "09:00", ends_at: str = "13:00", **fields: Any
    ) -> dict[str, Any]:
        headers = fields.pop("headers", None) or self.as_school(org=uuid.UUID(course["provider_org_id"]))
        response = await self.http.post(
            f"/v1/courses/{course['id']}/sessions",
            json={"held_on": held_on, "starts_at": starts_at, "ends_at": ends_at, **fields},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def sheet(
        self, session: dict[str, Any], marks: dict[uuid.UUID, str | tuple[str, str]], headers: dict[str, str]
    ) -> httpx.Response:
        """``marks``: a status, or a status and the hours attended, per person."""
        entries = []
        for person, mark in marks.items():
            status, attended = mark if isinstance(mark, tuple) else (mark, None)
            entry = {"beneficiary_id": str(person), "status": status}
            if attended is not None:
                entry["hours_attended"] = attended
            entries.append(entry)
        return await self.http.put(
            f"/v1/sessions/{session['id']}/attendance", json={"entries": entries}, headers=headers
        )
