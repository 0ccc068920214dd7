"""Every published event contract carries no direct identifier and nothing about health (DESIGN.md §5).

Allowed field types: UUIDs, dates and instants, numbers, booleans, fixed literals, and ``Code`` strings
(a pattern that admits no spaces, so no names or free text). Field names that smell of identity or
health are refused even with an allowed type.
"""

from __future__ import annotations

import datetime
import decimal
import types
import typing
import uuid

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import hope_contracts
from hope_contracts import CATALOGUE, EventContract

FORBIDDEN_NAME_PARTS = (
    "name",
    "birth",
    "email",
    "phone",
    "address",
    "ofii_number",
    "agdref",
    "france_travail_id",
    "nationality",
    "note",
    "comment",
    "text",
    "description",
    "health",
    "medical",
    "diagnos",
    "disab",
    "pregnan",
    "treatment",
)
SAFE_TYPES = (uuid.UUID, datetime.date, datetime.datetime, decimal.Decimal, int, bool)


def _allowed(annotation: typing.Any, metadata: typing.Sequence[typing.Any] = ()) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return _allowed(inner, [*metadata, *extra])
    if origin in (typing.Union, types.UnionType):
        return all(arg is type(None) or _allowed(arg, metadata) for arg in typing.get_args(annotation))
    if origin is typing.Literal:
        return all(isinstance(value, (str, int)) and " " not in str(value) for value in typing.get_args(annotation))
    if origin in (list, tuple, frozenset, set):
        return all(arg is Ellipsis or _allowed(arg) for arg in typing.get_args(annotation))
    if annotation is str:
        patterns = [getattr(meta, "pattern", None) for meta in metadata]
        return any(pattern is not None and " " not in pattern and "\\s" not in pattern for pattern in patterns)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return all(_field_allowed(annotation, name, field) for name, field in annotation.model_fields.items())
    return isinstance(annotation, type) and issubclass(annotation, SAFE_TYPES)


def _field_allowed(model: type[BaseModel], name: str, field: FieldInfo) -> bool:
    if any(part in name for part in FORBIDDEN_NAME_PARTS):
        return False
    return _allowed(field.annotation, field.metadata)


def test_the_catalogue_holds_every_service_contract() -> None:
    assert hope_contracts.enrolment.BeneficiaryRegistered.event_type in CATALOGUE
    assert len(CATALOGUE) >= 12


@pytest.mark.parametrize("contract", sorted(CATALOGUE.values(), key=lambda c: c.event_type), ids=lambda c: c.event_type)
def test_contract_fields_are_pseudonymous_codes_dates_and_quantities(contract: type[EventContract]) -> None:
    for name, field in contract.model_fields.items():
        assert _field_allowed(contract, name, field), f"{contract.event_type}.{name}: {field.annotation}"


def test_the_check_catches_a_free_text_field() -> None:
    class Leaky(EventContract):
        note: str

    class Nested(EventContract):
        entries: tuple[Leaky, ...]

    assert not _field_allowed(Leaky, "note", Leaky.model_fields["note"])
    assert not _field_allowed(Nested, "entries", Nested.model_fields["entries"])
