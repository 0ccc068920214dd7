"""Every domain event is published as the contract of its name, with exactly the contract's fields."""

import dataclasses
import typing
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Any
from uuid import UUID

import pytest

from enrolment_service.domain import events
from enrolment_service.domain.calendar import StepPeriod
from enrolment_service.domain.events import DomainEvent
from enrolment_service.domain.regions import REGIONS
from enrolment_service.domain.vocabulary import SECTORS, Step
from enrolment_service.service_layer.publishing import to_contract
from hope_contracts import codes

EVENT_CLASSES = [
    cls
    for cls in vars(events).values()
    if isinstance(cls, type) and issubclass(cls, DomainEvent) and cls is not DomainEvent
]

SAMPLES: dict[type, Any] = {
    UUID: UUID("00000000-0000-4000-8000-000000000001"),
    datetime: datetime(2025, 3, 10, 9, 30, tzinfo=UTC),
    date: date(2025, 3, 1),
    Decimal: Decimal("320.00"),
    int: 1,
    bool: True,
}


# Strings of the domain events are codes of closed lists: a sample from each list.
SAMPLES_BY_FIELD: dict[str, Any] = {
    "sector_code": "logistics",
    "region": "11",
    "calendar": (
        StepPeriod(step=Step.FRENCH_QUALIFICATION, starts_on=date(2025, 3, 3), ends_on=date(2025, 5, 30)),
        StepPeriod(step=Step.TRADE_QUALIFICATION, starts_on=date(2025, 6, 2)),
    ),
}


def _published(value: Any) -> Any:
    """A value as the contract carries it: enumerations as their values, periods as their fields."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return tuple(_published(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _published(getattr(value, field.name)) for field in dataclasses.fields(value)}
    return value


def _sample(annotation: Any) -> Any:
    if isinstance(annotation, UnionType) or typing.get_origin(annotation) is typing.Union:
        return _sample(next(part for part in typing.get_args(annotation) if part is not type(None)))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation))
    return SAMPLES[annotation]


def test_every_domain_event_has_a_contract_with_the_same_fields() -> None:
    assert EVENT_CLASSES
    assert to_contract.mismatches(EVENT_CLASSES) == []


@pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_an_event_becomes_its_contract_with_every_value_carried_over(event_class: type[DomainEvent]) -> None:
    hints = typing.get_type_hints(event_class)
    values = {
        field.name: SAMPLES_BY_FIELD.get(field.name) or _sample(hints[field.name])
        for field in dataclasses.fields(event_class)
    }
    contract = to_contract(event_class(**values))
    assert type(contract).__name__ == event_class.__name__
    published = contract.model_dump()
    for name, value in values.items():
        assert published[name] == _published(value), name


def test_an_object_without_a_contract_is_refused() -> None:
    with pytest.raises(TypeError, match="no published contract"):
        to_contract(object())


def test_the_contracts_list_exactly_the_sectors_and_regions_enrolment_knows() -> None:
    assert set(typing.get_args(codes.SectorCode)) == set(SECTORS)
    assert set(typing.get_args(codes.RegionCode)) == set(REGIONS)
    assert dict(REGIONS) == dict(codes.REGION_NAMES)
