import re
from collections.abc import Callable
from datetime import date

import pytest

from enrolment_service.domain.beneficiary import PHONE_SHAPE, Identity
from enrolment_service.domain.errors import InvalidValue

MakeIdentity = Callable[..., Identity]
TODAY = date(2025, 3, 10)


def test_a_valid_identity_is_normalised(identity: MakeIdentity) -> None:
    person = identity(
        given_name="  Fatima   Zahra ",
        nationality="syr",
        france_travail_id="1234567a",
        spoken_languages=("AR", "fr", "ar", " prs "),
        phone="06 12 34 56 78",
        email=" fatima@example.org ",
    )
    assert person.given_name == "Fatima Zahra"
    assert person.nationality == "SYR"
    assert person.france_travail_id == "1234567A"
    assert person.spoken_languages == ("ar", "fr", "prs")
    assert person.phone == "+33612345678"
    assert person.email == "fatima@example.org"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name", ""),
        ("given_name", "   "),
        ("family_name", "x" * 101),
        ("family_name", "Al\x00Hassan"),
        ("nationality", "SY"),
        ("nationality", "SYRI"),
        ("nationality", "S1R"),
        ("ofii_number", "750123456"),
        ("ofii_number", "75012345678"),
        ("ofii_number", "75012345AB"),
        ("france_travail_id", "1234567"),
        ("france_travail_id", "1234-567"),
        ("spoken_languages", ("arabic",)),
        ("phone", "12345"),
        ("phone", "+0612345678"),
        ("email", "fatima.example.org"),
        ("email", "fatima@localhost"),
    ],
)
def test_malformed_values_are_refused(field: str, value: object, identity: MakeIdentity) -> None:
    with pytest.raises(InvalidValue) as refused:
        identity(**{field: value})
    assert refused.value.field == field


def test_refusals_do_not_repeat_personal_data(identity: MakeIdentity) -> None:
    with pytest.raises(InvalidValue) as refused:
        identity(phone="99-SECRET-99")
    assert "SECRET" not in refused.value.detail


def test_names_of_100_characters_and_optional_fields_absent_are_accepted(identity: MakeIdentity) -> None:
    person = identity(family_name="x" * 100, ofii_number=None, france_travail_id=None, phone=None, email=None)
    assert len(person.family_name) == 100
    assert person.ofii_number is None


@pytest.mark.parametrize(
    ("birth_date", "accepted"),
    [
        (date(2009, 3, 10), True),  # 16 today
        (date(2009, 3, 11), False),  # 16 tomorrow
        (date(1925, 3, 11), True),  # 99, 100 tomorrow
        (date(1925, 3, 10), False),  # 100 today
        (date(2025, 3, 10), False),  # born today
        (date(2026, 1, 1), False),  # not born yet
    ],
)
def test_age_must_be_16_to_99(birth_date: date, accepted: bool, identity: MakeIdentity) -> None:
    person = identity(birth_date=birth_date)
    if accepted:
        person.check_age(TODAY)
    else:
        with pytest.raises(InvalidValue) as refused:
            person.check_age(TODAY)
        assert refused.value.field == "birth_date"


def test_every_wrong_field_is_refused_at_once(identity: MakeIdentity) -> None:
    with pytest.raises(InvalidValue) as refused:
        identity(given_name=" ", nationality="SY", phone="12ab", email="x@y", spoken_languages=("ar", "1"))
    assert [field for field, _ in refused.value.refusals] == [
        "given_name",
        "nationality",
        "phone",
        "email",
        "spoken_languages",
    ]


@pytest.mark.parametrize(
    "written",
    [
        "+33612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "(+33) 6 12 34 56 78",
        "+1 (415) 555-2671",
        "0612",
        "+0612345",
        "06123456789",
        "٠٦١٢٣٤٥٦٧٨",
        "+33 6 12 34 56 78 90 12 34",
    ],
)
def test_the_phone_shape_in_the_document_is_the_one_the_domain_accepts(written: str, identity: MakeIdentity) -> None:
    try:
        identity(phone=written)
        accepted = True
    except InvalidValue:
        accepted = False
    assert bool(re.fullmatch(PHONE_SHAPE, written)) == accepted
