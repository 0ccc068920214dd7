"""Enrolment running in-process against a fresh database: a SQLite file, or a real PostgreSQL."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest

from enrolment_service.adapters.tables import kit, partners
from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.events.incoming import CONSUMERS
from enrolment_service.main import create_app
from enrolment_service.settings import EnrolmentSettings
from hope_contracts.vocabulary import OrgKind
from hope_infra.testing import ServiceUnderTest
from hope_infra.testing import received as received
from hopekit.db.engine import make_engine
from hopekit.testing import TokenIssuer, running, seed_partners
from hopekit.uow import Database

SERVICE_ROOT = Path(__file__).resolve().parents[2]
CONSUMER = "enrolment.gateway-partners"

SERVICE = ServiceUnderTest(
    "enrolment", SERVICE_ROOT, EnrolmentSettings, create_app, kit, EnrolmentUnitOfWork, CONSUMERS
)
deliver = SERVICE.deliver
settings_for = SERVICE.settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return SERVICE


Partners = Callable[..., Awaitable[None]]


@pytest.fixture
async def partners_of(database_url: str) -> AsyncIterator[Partners]:
    """Registers organisations in enrolment's partner projection as the gateway's events would:
    ``await partners_of({org_id: OrgKind.TRAINING_PROVIDER}, active=True)``."""
    engine = make_engine(database_url)
    database = Database(engine=engine, tables=kit)

    async def seed(organisations: Mapping[uuid.UUID, OrgKind], active: bool = True) -> None:
        await seed_partners(
            lambda: EnrolmentUnitOfWork(database), partners, organisations, active=active, consumer=CONSUMER
        )

    try:
        yield seed
    finally:
        await engine.dispose()


Enrolment = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def enrolment(issuer: TokenIssuer) -> Enrolment:
    """Start enrolment with given settings: ``async with enrolment(url, kafka=...) as http``."""

    def start(
        database_url: str, kafka: str | None = None, **extra: Any
    ) -> AbstractAsyncContextManager[httpx.AsyncClient]:
        return running(create_app(settings_for(database_url, issuer, kafka, **extra)))

    return start


_counter = itertools.count(1)


def registration(**overrides: Any) -> dict[str, Any]:
    n = next(_counter)
    body: dict[str, Any] = {
        "given_name": "Amina",
        "family_name": f"Haddad-{n}",
        "birth_date": "1994-03-12",
        "nationality": "SYR",
        "protection_status": "refugee",
        "track": "group",
        "ofii_number": f"{7_000_000_000 + n:010d}",
        "spoken_languages": ["ar", "en"],
        "phone": "+33612345678",
        "email": f"amina{n}@example.org",
    }
    body.update(overrides)
    return body


def prerequisites(hours: str = "320.50") -> dict[str, Any]:
    return {
        "ofii_hours": hours,
        "attestation": {"attested_on": "2026-06-01", "test": "DILF", "evidence_reference": "DILF-2026-00042"},
    }


@pytest.fixture(name="registration")
def registration_fixture() -> Callable[..., dict[str, Any]]:
    """A valid registration body, unique on every call; keyword arguments override fields."""
    return registration


@pytest.fixture(name="prerequisites")
def prerequisites_fixture() -> Callable[..., dict[str, Any]]:
    return prerequisites
