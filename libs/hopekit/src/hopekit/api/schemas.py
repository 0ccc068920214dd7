"""Building blocks for request and response schemas: strict inputs, bounded text, no control characters."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, GetCoreSchemaHandler, StringConstraints
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

# JSON's own types are taken only as themselves: ``true`` is not 1, ``"12"`` is not 12, ``1`` is not ``true``.
_STRICT = frozenset({"int", "bool", "float"})
# Types JSON writes as strings (a UUID, a date, a time) are parsed from strings, never from numbers or booleans
# (a lax date takes 1700000000 as a Unix time); a decimal is a number or a string, never a boolean.
_NOT_FROM_NUMBERS = frozenset({"uuid", "date", "datetime", "time", "timedelta"})


def _no_number(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("string_expected", "a string is expected here, not a number or a boolean")
    return value


def _no_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("number_expected", "a number or a string of digits is expected, not a boolean")
    return value


def _already_guarded(schema: Any) -> bool:
    """A guard put there before: pydantic hands a model's cached core schema to every schema that uses the model
    (FastAPI builds one per route and app), and a guard wrapped again each time nested deeper and deeper until
    building the OpenAPI document hit the recursion limit (after 37 enrolment apps in one process)."""
    if not isinstance(schema, dict) or schema.get("type") != "function-before":
        return False
    function = schema.get("function")
    return isinstance(function, dict) and function.get("function") in (_no_number, _no_boolean)


def _guarded(schema: Any) -> Any:
    if _already_guarded(schema):
        _strict_inputs(schema["schema"])
        return schema
    kind = schema.get("type") if isinstance(schema, dict) else None
    if kind in _NOT_FROM_NUMBERS:
        return core_schema.no_info_before_validator_function(_no_number, _strict_inputs(schema))
    if kind == "decimal":
        return core_schema.no_info_before_validator_function(_no_boolean, _strict_inputs(schema))
    return _strict_inputs(schema)


def _strict_inputs(schema: Any) -> Any:
    """The schema, strict wherever lax validation would turn one JSON type into another (in place)."""
    if isinstance(schema, dict):
        if schema.get("type") in _STRICT:
            schema["strict"] = True
        for key, value in schema.items():
            if key not in ("metadata", "serialization"):
                schema[key] = _guarded(value)
    elif isinstance(schema, list):
        schema[:] = [_guarded(value) for value in schema]
    return schema


class RequestModel(BaseModel):
    """Unknown fields are refused: a typo in a partner's payload must not be silently dropped. Inputs are strict:
    FastAPI validates the decoded JSON as Python objects, where pydantic's own strict mode would refuse a UUID or
    a date written as a string; so the JSON types are strict (``"capacity": true`` is refused, not 1) and the
    types JSON writes as strings still parse from strings only."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema: CoreSchema = _guarded(handler(source))
        return schema


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def _no_control_characters(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("control characters (such as NUL) are not allowed")
    return value


# What a text field refuses besides its length, stated in the document so that a generated client does not send it:
# control characters (Unicode's Cc, which ``_no_control_characters`` refuses) and, when the field may not be empty,
# nothing but spaces (text is stripped first).
_NOT_CONTROL = r"[^\x00-\x1f\x7f-\x9f]"
TEXT_SHAPE = rf"^{_NOT_CONTROL}*[^\s\x00-\x1f\x7f-\x9f]{_NOT_CONTROL}*$"
OPTIONAL_TEXT_SHAPE = rf"^{_NOT_CONTROL}*$"


def text(max_length: int, min_length: int = 1) -> Any:
    """A bounded single-line text field; its document states the characters it refuses."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, strip_whitespace=True),
        AfterValidator(_no_control_characters),
        Field(json_schema_extra={"pattern": TEXT_SHAPE if min_length else OPTIONAL_TEXT_SHAPE}),
    ]


# Used as a field's own type, optional or not (`phone: PhoneNumber | None`): nested as metadata inside another
# Annotated (`Annotated[str | None, text(20)]`), pydantic would silently drop the bounds.
Name = text(100)
Reference = text(120)
Title = text(200)
Note = text(500)
PhoneNumber = text(20)
EmailAddress = text(254)
