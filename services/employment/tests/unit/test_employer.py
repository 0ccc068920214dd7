"""Employers, their establishments, HR contact and pledges."""

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from employment_service.domain.contact import HrContact
from employment_service.domain.employer import Employer, Pledge
from employment_service.domain.errors import EstablishmentOfAnotherEmployer, InvalidValue, UnknownCode
from employment_service.domain.events import EmployerRegistered

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
SIRET = "73282932000074"


def register(**changes: object) -> tuple[Employer, list[object]]:
    fields: dict[str, object] = {
        "siret": SIRET,
        "name": "Logistique Sud",
        "naf": "52.10B",
        "akto_member": False,
        "sector_codes": ["logistics", "transport"],
        "hr_contact": None,
        "at": NOW,
    }
    fields.update(changes)
    made, events = Employer.register(**fields)  # type: ignore[arg-type]
    return made, list(events)


def test_registering_an_employer_derives_its_siren_and_announces_codes_only() -> None:
    made, events = register()
    assert made.siren.value == "732829320"
    assert events == [
        EmployerRegistered(
            employer_id=made.id,
            naf_code="52.10B",
            akto_member=False,
            sector_codes=("logistics", "transport"),
            occurred_at=NOW,
        )
    ]


def test_the_company_name_is_tidied_and_must_not_be_blank(employer: Employer) -> None:
    assert employer.name == "Bâtiments du Rhône"
    with pytest.raises(InvalidValue, match="name"):
        register(name="   ")


def test_an_employer_needs_at_least_one_known_sector() -> None:
    with pytest.raises(InvalidValue, match="sector_codes"):
        register(sector_codes=[])
    with pytest.raises(UnknownCode) as refused:
        register(sector_codes=["astrology"])
    assert refused.value.details() == {"field": "sector_codes", "known": list(refused.value.known)}
    assert "astrology" not in str(refused.value)


def test_an_establishment_is_placed_by_its_commune(employer: Employer) -> None:
    site = employer.add_establishment("13055")
    assert (site.department_code, site.region_code) == ("13", "93")
    assert employer.establishment(site.id) is site


def test_an_establishment_siret_must_belong_to_the_employers_siren(employer: Employer) -> None:
    assert employer.add_establishment("69381", siret="73282932000041").siret is not None
    with pytest.raises(InvalidValue, match="employer's SIREN"):
        employer.add_establishment("69381", siret="44306184100047")


def test_the_same_establishment_siret_cannot_be_added_twice(employer: Employer) -> None:
    employer.add_establishment("69381", siret=SIRET)
    with pytest.raises(InvalidValue, match="already"):
        employer.add_establishment("69123", siret=SIRET)


def test_an_establishment_of_another_employer_is_refused_as_forbidden(employer: Employer) -> None:
    other, _ = register()
    foreign = other.add_establishment("69381")
    with pytest.raises(EstablishmentOfAnotherEmployer) as refused:
        employer.establishment(foreign.id)
    assert refused.value.category == "forbidden"


def test_the_hr_contact_is_tidied_and_never_shown_in_logs(employer: Employer) -> None:
    contact = employer.hr_contact
    assert contact is not None
    assert contact.phone == "0472000000"
    assert "Claire" not in repr(contact)
    assert "Claire" not in repr(employer)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"full_name": " ", "email": "a@b.fr"}, "hr_contact.full_name"),
        ({"full_name": "A B", "email": "not-an-email"}, "hr_contact.email"),
        ({"full_name": "A B", "email": "a@b.fr", "phone": "call me"}, "hr_contact.phone"),
    ],
)
def test_a_malformed_hr_contact_is_refused(fields: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        HrContact(**fields)
    assert refused.value.field == field


def test_erasing_the_hr_contact_forgets_it_and_says_whether_there_was_one(employer: Employer) -> None:
    assert employer.erase_contact() is True
    assert employer.hr_contact is None
    assert employer.erase_contact() is False


def test_a_pledge_names_a_sector_a_region_some_places_and_a_period() -> None:
    pledge = Pledge(uuid4(), uuid4(), "construction", "84", 12, date(2026, 1, 1), date(2026, 12, 31))
    assert pledge.covers(date(2026, 6, 1))
    assert not pledge.covers(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("sector", "region", "places", "ends_on"),
    [
        ("construction", "99", 12, date(2026, 12, 31)),
        ("construction", "84", 0, date(2026, 12, 31)),
        ("construction", "84", 12, date(2026, 1, 1)),
        ("astrology", "84", 12, date(2026, 12, 31)),
    ],
)
def test_a_pledge_with_an_unknown_place_no_places_or_an_empty_period_is_refused(
    sector: str, region: str, places: int, ends_on: date
) -> None:
    with pytest.raises((InvalidValue, UnknownCode)):
        Pledge(uuid4(), uuid4(), sector, region, places, date(2026, 1, 1), ends_on)
