"""Request models are strict about JSON's own types and still read UUIDs, dates, times and decimals from strings."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from hopekit.api.schemas import RequestModel


class Colour(StrEnum):
    RED = "red"


class Line(RequestModel):
    count: int


class Order(RequestModel):
    id: uuid.UUID
    on: date
    at: datetime
    starts: time
    amount: Decimal
    colour: Colour
    capacity: int
    urgent: bool = False
    weekdays: Annotated[list[Annotated[int, Field(ge=0, le=6)]], Field(min_length=1)] = [0]
    lines: list[Line] = []
    until: date | None = None


GOOD: dict[str, Any] = {
    "id": "5f0c6d0e-2b1a-4a0e-9a59-6a3c3c1d2e4f",
    "on": "2026-03-01",
    "at": "2026-03-01T08:00:00Z",
    "starts": "09:00",
    "amount": "12.50",
    "colour": "red",
    "capacity": 12,
}


def test_strings_for_uuids_dates_times_decimals_and_enums_are_read() -> None:
    order = Order.model_validate(GOOD)

    assert order.id == uuid.UUID(GOOD["id"])
    assert (order.on, order.at, order.starts) == (date(2026, 3, 1), datetime(2026, 3, 1, 8, tzinfo=UTC), time(9))
    assert (order.amount, order.colour, order.capacity) == (Decimal("12.50"), Colour.RED, 12)
    assert Order.model_validate({**GOOD, "amount": 3.5}).amount == Decimal("3.5")


@pytest.mark.parametrize(
    ("wrong", "where"),
    [
        ({"capacity": True}, ("capacity",)),
        ({"capacity": "12"}, ("capacity",)),
        ({"capacity": 12.5}, ("capacity",)),
        ({"urgent": "true"}, ("urgent",)),
        ({"urgent": 1}, ("urgent",)),
        ({"weekdays": [False]}, ("weekdays", 0)),
        ({"lines": [{"count": True}]}, ("lines", 0, "count")),
        ({"amount": True}, ("amount",)),
        ({"on": 1700000000}, ("on",)),
        ({"until": 0}, ("until",)),
        ({"at": 1700000000}, ("at",)),
        ({"id": 42}, ("id",)),
    ],
)
def test_a_value_of_another_json_type_is_refused_not_converted(wrong: dict[str, Any], where: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as refused:
        Order.model_validate({**GOOD, **wrong})

    assert [error["loc"] for error in refused.value.errors()] == [where]


def test_a_model_used_by_many_schemas_keeps_one_guard_per_field() -> None:
    """FastAPI builds a schema per route and per app around the same model: the model's guards are not wrapped
    again each time (they nested until the OpenAPI document of the 37th app hit the recursion limit)."""

    class Envelope(BaseModel):
        order: Order

    first = repr(Order.__pydantic_core_schema__)
    for _ in range(20):
        TypeAdapter(Order)
        Envelope.model_rebuild(force=True)

    assert repr(Order.__pydantic_core_schema__) == first
    with pytest.raises(ValidationError):
        TypeAdapter(Order).validate_python({**GOOD, "on": 1700000000})
