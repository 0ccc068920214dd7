from collections.abc import Callable
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.beneficiary import Beneficiary, Identity
from enrolment_service.domain.duplicates import duplicate_key, ensure_not_registered, is_duplicate
from enrolment_service.domain.errors import DuplicateBeneficiary
from enrolment_service.domain.vocabulary import Track

MakeIdentity = Callable[..., Identity]


def test_duplicate_key(identity: MakeIdentity) -> None:
    person = identity(given_name="  Éloïse-Marie ", family_name="N\u2019Diaye  Al\u2011Hassan")
    assert duplicate_key(person) == "n diaye al hassan|eloise marie|1990-05-01"


@pytest.mark.parametrize(
    ("given_name", "family_name"),
    [
        ("FATIMA", "AL HASSAN"),
        ("fatima", "al-hassan"),
        ("Fâtimà", "Al\u2013Hassan"),
        ("Fatima", "Al  -  Hassan"),
        ("Fatima", "Al'Hassan"),
        ("Fatima", "Al\u2019Hassan"),
    ],
)
def test_same_person_written_differently(given_name: str, family_name: str, identity: MakeIdentity) -> None:
    registered = identity(ofii_number=None)
    candidate = identity(given_name=given_name, family_name=family_name, ofii_number=None)
    assert is_duplicate(candidate, registered)


def test_same_names_other_birth_date_is_someone_else(identity: MakeIdentity) -> None:
    registered = identity(ofii_number=None)
    assert not is_duplicate(identity(ofii_number=None, birth_date=date(1990, 5, 2)), registered)


def test_other_names_are_someone_else(identity: MakeIdentity) -> None:
    registered = identity(ofii_number=None)
    assert not is_duplicate(identity(ofii_number=None, given_name="Fatma"), registered)
    assert not is_duplicate(identity(ofii_number=None, given_name="Hassan", family_name="Fatima Al"), registered)


def test_same_ofii_number_is_the_same_person(identity: MakeIdentity) -> None:
    registered = identity(ofii_number="7501234567")
    candidate = identity(ofii_number="7501234567", given_name="Amina", birth_date=date(1988, 1, 1))
    assert is_duplicate(candidate, registered)


def test_a_missing_ofii_number_does_not_match(identity: MakeIdentity) -> None:
    registered = identity(ofii_number=None)
    candidate = identity(ofii_number=None, given_name="Amina")
    assert not is_duplicate(candidate, registered)
    assert not is_duplicate(identity(ofii_number="7501234567", given_name="Amina"), registered)


def test_registration_of_a_known_person_is_refused(identity: MakeIdentity, ofii: Actor, now: datetime) -> None:
    existing_id = UUID("00000000-0000-4000-8000-0000000000d1")
    erased_id = UUID("00000000-0000-4000-8000-0000000000d2")
    existing, _ = Beneficiary.register(
        beneficiary_id=existing_id, identity=identity(), track=Track.GROUP, actor=ofii, at=now
    )
    erased, _ = Beneficiary.register(
        beneficiary_id=erased_id, identity=identity(given_name="Amina"), track=Track.GROUP, actor=ofii, at=now
    )
    erased.erase(ofii, datetime(2025, 6, 1, tzinfo=UTC))

    with pytest.raises(DuplicateBeneficiary) as refused:
        ensure_not_registered(identity(family_name="AL HASSAN", ofii_number=None), [erased, existing])
    assert refused.value.existing_id == existing_id
    ensure_not_registered(identity(given_name="Amina", ofii_number=None), [erased, existing])
