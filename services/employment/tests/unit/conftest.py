from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from employment_service.domain.contact import HrContact
from employment_service.domain.employer import Employer, Establishment

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
PERSON = UUID("00000000-0000-4000-8000-000000000001")
OTHER_PERSON = UUID("00000000-0000-4000-8000-000000000002")
# 732 829 320 00074: the INSEE documentation's example, a valid SIREN and SIRET.
SIRET = "73282932000074"
LYON_COMMUNE = "69381"  # Lyon 1er arrondissement, department 69, region 84


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def employer() -> Employer:
    made, _ = Employer.register(
        siret=SIRET,
        name="Bâtiments  du Rhône",
        naf="4399C",
        akto_member=True,
        sector_codes=["construction"],
        hr_contact=HrContact("Claire Martin", "claire.martin@example.fr", "04 72 00 00 00"),
        at=NOW,
    )
    return made


@pytest.fixture
def establishment(employer: Employer) -> Establishment:
    return employer.add_establishment(LYON_COMMUNE)
