"""Every domain error names a category the kit maps to a status, and safe problem details."""

import inspect
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain import errors
from funding_service.domain.errors import FundingError, LimitExceeded

CATEGORIES = {"not_found", "forbidden", "conflict", "invalid", "unprocessable"}
ERROR_CLASSES = [cls for _, cls in inspect.getmembers(errors, inspect.isclass) if issubclass(cls, FundingError)]


@pytest.mark.parametrize("error", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_error_class_names_a_known_category(error: type[FundingError]) -> None:
    assert error.category in CATEGORIES


def test_a_refused_commitment_states_the_line_s_available_amount_as_a_decimal_string() -> None:
    line = UUID("00000000-0000-4000-8000-00000000001a")
    refused = LimitExceeded(line, "available", Decimal("1499.99"), Decimal("1500.00"))
    assert refused.details() == {
        "budget_line_id": str(line),
        "stage": "available",
        "available": "1499.99",
        "requested": "1500.00",
    }
    assert all(isinstance(value, str) for value in refused.details().values())


def test_an_invalid_value_names_the_field_but_never_echoes_the_input() -> None:
    error = errors.InvalidValue("reference", "must be a code of at most 64 characters")
    assert error.details() == {"field": "reference"}
