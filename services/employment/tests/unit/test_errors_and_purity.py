"""Domain errors tell the kit how to answer (a category) and what is safe to show (details); the domain
imports nothing but the standard library and itself."""

import ast
import inspect
import json
import sys
from pathlib import Path
from uuid import uuid4

import pytest

import employment_service.domain
from employment_service.domain import errors
from employment_service.domain.vocabulary import EvidenceSource, parse_code

CATEGORIES = {"not_found", "forbidden", "conflict", "invalid", "unprocessable"}
DOMAIN = Path(employment_service.domain.__file__).parent
ERROR_CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.DomainError)]
SAMPLES: list[errors.DomainError] = [
    errors.InvalidValue("siret", "must be 14 digits"),
    errors.UnknownCode("sector_codes", ("construction", "care")),
    errors.IllegalTransition("vacancy", "closed", "hire", ()),
    errors.NotFound("vacancy", uuid4()),
    errors.EstablishmentOfAnotherEmployer(uuid4()),
    errors.ActiveContractExists(uuid4(), uuid4()),
    errors.ImmersionCapExceeded("133.33", "70.00", "70.00"),
    errors.OutcomeAlreadyRecorded(uuid4()),
    errors.Unprocessable("step_3_required", "an immersion is made while the person is in step 3"),
]


@pytest.mark.parametrize("error_class", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_domain_error_names_a_category_the_kit_knows(error_class: type[errors.DomainError]) -> None:
    assert error_class.category in CATEGORIES


def test_every_concrete_error_has_a_sample_here() -> None:
    assert {type(sample) for sample in SAMPLES} == set(ERROR_CLASSES) - {errors.DomainError}


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_error_details_are_plain_json_values(error: errors.DomainError) -> None:
    details = error.details()
    assert json.loads(json.dumps(details)) == details


def test_the_categories_cover_the_statuses_the_domain_needs() -> None:
    assert {c.category for c in ERROR_CLASSES} == CATEGORIES


@pytest.mark.parametrize("module", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_a_domain_module_imports_only_the_standard_library_and_the_domain(module: Path) -> None:
    for node in ast.walk(ast.parse(module.read_text())):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("employment_service.domain"), name


def test_a_code_from_outside_is_parsed_or_refused_naming_the_list_not_the_value() -> None:
    assert parse_code(EvidenceSource, "contract_copy", "evidence_source") is EvidenceSource.CONTRACT_COPY
    with pytest.raises(errors.UnknownCode) as refused:
        parse_code(EvidenceSource, "my cousin said so", "evidence_source")
    assert "cousin" not in str(refused.value)
    assert refused.value.details()["known"] == [source.value for source in EvidenceSource]
