"""SIRET, SIREN, NAF, ROME and commune codes: checked for form, normalised, never echoed back in errors."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from employment_service.domain.errors import InvalidValue
from employment_service.domain.identifiers import (
    LA_POSTE_SIREN,
    Commune,
    Siren,
    Siret,
    luhn_valid,
    naf_code,
    rome_code,
    staff_reference,
)

# The INSEE example written in fullwidth digits: str.isdigit() says yes, the SIRET check must say no.
FULLWIDTH = "".join(chr(ord(digit) + 0xFEE0) for digit in "73282932000074")


def with_luhn_key(digits: str) -> str:
    return next(digits + str(key) for key in range(10) if luhn_valid(digits + str(key)))


def valid_sirens() -> st.SearchStrategy[str]:
    return st.from_regex(r"[0-9]{8}", fullmatch=True).map(with_luhn_key)


def test_the_insee_example_siret_is_valid_and_gives_its_siren() -> None:
    siret = Siret.parse("732 829 320 00074")
    assert siret.value == "73282932000074"
    assert siret.siren == Siren("732829320")
    assert siret.nic == "00074"


def test_a_siret_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        Siret.parse("73282932000075")
    assert refused.value.field == "siret"
    assert "73282932000075" not in str(refused.value)


@pytest.mark.parametrize("raw", ["7328293200007", "732829320000745", "7328293200007A", "", FULLWIDTH])
def test_a_siret_that_is_not_fourteen_ascii_digits_is_refused(raw: str) -> None:
    with pytest.raises(InvalidValue, match="must be 14 digits"):
        Siret.parse(raw)


def test_a_siret_whose_siren_fails_its_own_check_digit_is_refused() -> None:
    # Luhn-valid over 14 digits, but 732829321 is not a valid SIREN.
    siret = with_luhn_key("7328293210007")
    with pytest.raises(InvalidValue, match="SIREN"):
        Siret.parse(siret)


def test_la_poste_establishments_pass_on_the_sum_of_their_digits_being_a_multiple_of_five() -> None:
    office = "35600000000001"  # digits sum to 15; not Luhn-valid
    assert not luhn_valid(office)
    assert Siret.parse(office).siren.value == LA_POSTE_SIREN


def test_la_poste_head_office_passes_on_the_ordinary_luhn_key() -> None:
    assert Siret.parse("35600000000048").nic == "00048"


def test_la_poste_siret_failing_both_rules_is_refused() -> None:
    with pytest.raises(InvalidValue):
        Siret.parse("35600000000002")  # sum 16, not Luhn-valid


def test_the_multiple_of_five_rule_does_not_apply_to_other_companies() -> None:
    siren = "732829320"
    nic = next(
        f"{n:05d}"
        for n in range(1000)
        if sum(map(int, siren + f"{n:05d}")) % 5 == 0 and not luhn_valid(siren + f"{n:05d}")
    )
    with pytest.raises(InvalidValue):
        Siret.parse(siren + nic)


@given(siren=valid_sirens(), nic=st.from_regex(r"[0-9]{4}", fullmatch=True))
def test_any_siret_with_a_valid_siren_and_its_luhn_key_is_accepted(siren: str, nic: str) -> None:
    siret = with_luhn_key(siren + nic)
    assert Siret.parse(siret).siren.value == siren


@given(
    siren=valid_sirens(),
    nic=st.from_regex(r"[0-9]{4}", fullmatch=True),
    position=st.integers(9, 13),
    shift=st.integers(1, 9),
)
def test_changing_any_one_digit_of_the_nic_or_key_is_caught(siren: str, nic: str, position: int, shift: int) -> None:
    assume(siren != LA_POSTE_SIREN)
    good = with_luhn_key(siren + nic)
    wrong = good[:position] + str((int(good[position]) + shift) % 10) + good[position + 1 :]
    with pytest.raises(InvalidValue):
        Siret.parse(wrong)


@given(digits=st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_a_siren_is_accepted_exactly_when_its_luhn_key_holds(digits: str) -> None:
    if luhn_valid(digits):
        assert Siren.parse(digits).value == digits
    else:
        with pytest.raises(InvalidValue):
            Siren.parse(digits)


@pytest.mark.parametrize(("raw", "kept"), [("62.01Z", "62.01Z"), ("6201z", "62.01Z"), (" 43.99C ", "43.99C")])
def test_a_naf_code_is_kept_in_its_published_form(raw: str, kept: str) -> None:
    assert naf_code(raw) == kept


@pytest.mark.parametrize("raw", ["62.01", "620Z", "62.012", "AB.CDE", "62-01Z"])
def test_a_malformed_naf_code_is_refused(raw: str) -> None:
    with pytest.raises(InvalidValue, match="NAF"):
        naf_code(raw)


@pytest.mark.parametrize(("raw", "refused"), [("F1703", False), ("n1103", False), ("Z1703", True), ("F170", True)])
def test_a_rome_code_is_a_grand_domaine_letter_and_four_digits(raw: str, refused: bool) -> None:
    if refused:
        with pytest.raises(InvalidValue):
            rome_code(raw)
    else:
        assert rome_code(raw) == raw.upper()


@pytest.mark.parametrize(
    ("code", "department", "region"),
    [("69381", "69", "84"), ("2A004", "2A", "94"), ("97411", "974", "04"), ("75056", "75", "11")],
)
def test_a_commune_gives_its_department_and_region(code: str, department: str, region: str) -> None:
    commune = Commune.parse(code)
    assert (commune.department_code, commune.region_code) == (department, region)


@pytest.mark.parametrize("code", ["20004", "96001", "97501", "6938", "693810", "2C004"])
def test_a_code_outside_any_french_department_is_not_a_commune(code: str) -> None:
    with pytest.raises(InvalidValue):
        Commune.parse(code)


def test_a_tutor_is_a_staff_reference_never_a_name_with_spaces() -> None:
    assert staff_reference("EMP-00042", "tutor_ref") == "EMP-00042"
    with pytest.raises(InvalidValue):
        staff_reference("Jean Dupont", "tutor_ref")
