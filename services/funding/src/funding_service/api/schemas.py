"""Request and response pieces shared by the funding routers: money is a decimal string in euros, never a float."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StringConstraints

from funding_service.domain.money_view import MoneyView


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("money and hours are decimal strings, never floats")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(decimal_places=2, max_digits=14, examples=["1234.50"]),
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str, when_used="json"),
]
Quantity = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(decimal_places=2, max_digits=12, gt=0, examples=["400.00"]),
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str, when_used="json"),
]
Hours = Annotated[
    Decimal,
    Field(decimal_places=2, ge=0, examples=["7.00"]),
    PlainSerializer(lambda value: f"{value:.2f}", return_type=str, when_used="json"),
]
Share = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(decimal_places=4, gt=0, le=1, examples=["0.7"]),
    PlainSerializer(lambda value: str(value), return_type=str, when_used="json"),
]
Fraction = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(decimal_places=4, ge=0, le=1, examples=["0.1"]),
    PlainSerializer(lambda value: str(value), return_type=str, when_used="json"),
]
Reference = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MoneyViewOut(BaseModel):
    committed: Money
    consumed: Money
    claimed: Money
    approved: Money
    paid: Money
    released: Money
    disallowed: Money
    available: Money | None = Field(description="What the lines can still commit; only for an agreement or a funder.")

    @classmethod
    def of(cls, view: MoneyView) -> MoneyViewOut:
        return cls(
            committed=view.committed,
            consumed=view.consumed,
            claimed=view.claimed,
            approved=view.approved,
            paid=view.paid,
            released=view.released,
            disallowed=view.disallowed,
            available=view.available,
        )
