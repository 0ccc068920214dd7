import inspect
from datetime import date
from uuid import uuid4

import pytest

from support_service.domain import errors

CATEGORIES = {"not_found", "forbidden", "conflict", "invalid", "unprocessable"}
ERROR_CLASSES = [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, errors.DomainError)]


@pytest.mark.parametrize("error_class", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_domain_error_names_a_category_the_kit_maps(error_class) -> None:
    assert error_class.category in CATEGORIES


def test_details_carry_the_code_and_only_values_the_domain_made() -> None:
    bed = uuid4()
    samples = [
        errors.NotFound("note", bed),
        errors.AccessDenied("read this note"),
        errors.IllegalTransition("need", "resolved", "start", ()),
        errors.InvalidValue("body", "must not be blank"),
        errors.UnknownNeedCode(),
        errors.ConsentRequired(),
        errors.ReadReasonRequired(),
        errors.BedTaken(bed, date(2025, 9, 1)),
        errors.AlreadyHoused(date(2025, 9, 1)),
        errors.ResidenceClosed(bed, date(2025, 9, 1)),
        errors.FileAlreadyOpen(bed),
        errors.PersonErased(),
        errors.NotSupportProvider(),
    ]
    assert {type(e) for e in samples} == set(ERROR_CLASSES) - {errors.DomainError}
    for error in samples:
        details = error.details()
        assert details["code"] == error.code
    assert errors.BedTaken(bed, date(2025, 9, 1)).details() == {
        "code": "bed_taken",
        "bed_id": str(bed),
        "first_night": "2025-09-01",
    }
