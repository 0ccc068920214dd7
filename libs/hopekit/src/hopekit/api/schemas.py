"""Building blocks for request and response schemas: strict inputs, bounded text, no control characters."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints


class RequestModel(BaseModel):
    """Unknown fields are refused: a typo in a partner's payload must not be silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _no_control_characters(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("control characters (such as NUL) are not allowed")
    return value


def text(max_length: int, min_length: int = 1) -> Any:
    """A bounded single-line text field."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, strip_whitespace=True),
        AfterValidator(_no_control_characters),
    ]


# Used as a field's own type, optional or not (`phone: PhoneNumber | None`): nested as metadata inside another
# Annotated (`Annotated[str | None, text(20)]`), pydantic would silently drop the bounds.
Name = text(100)
Reference = text(120)
Title = text(200)
Note = text(500)
PhoneNumber = text(20)
EmailAddress = text(254)
