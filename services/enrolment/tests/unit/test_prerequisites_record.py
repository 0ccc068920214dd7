from datetime import date
from decimal import Decimal

import pytest

from enrolment_service.domain.errors import InvalidValue
from enrolment_service.domain.pathway import A1Attestation, PrerequisitesRecord
from enrolment_service.domain.vocabulary import LanguageTest

ATTESTATION = A1Attestation(date(2025, 3, 1), LanguageTest.DILF, "DILF-75-000123")


@pytest.mark.parametrize(
    ("hours", "kept"), [("200", "200.00"), ("200.00", "200.00"), ("600", "600.00"), ("431.5", "431.50")]
)
def test_hours_within_200_to_600_are_kept_with_two_decimals(hours: str, kept: str) -> None:
    record = PrerequisitesRecord(Decimal(hours), ATTESTATION)
    assert record.ofii_hours == Decimal(kept)
    assert str(record.ofii_hours) == kept


@pytest.mark.parametrize("hours", ["199.99", "600.01", "0", "-250", "1000", "250.005", "NaN", "Infinity"])
def test_hours_outside_the_range_or_too_precise_are_refused(hours: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        PrerequisitesRecord(Decimal(hours), ATTESTATION)
    assert refused.value.field == "ofii_hours"
    assert refused.value.code == "invalid_value"


@pytest.mark.parametrize("reference", ["", "   ", "x" * 101])
def test_attestation_needs_an_evidence_reference(reference: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        A1Attestation(date(2025, 3, 1), LanguageTest.TCF, reference)
    assert refused.value.field == "attestation.evidence_reference"
