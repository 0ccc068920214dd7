"""The privacy rule every event contract obeys (DESIGN.md §5), as a check that names what to change.

A payload field is one of: a UUID, a date, a time of day or an instant, a number, a boolean, a value from a closed list
(``Literal[...]`` or an ``Enum``), or a string with a strict format (a pattern without any letter class, such
as ``^RNCP\\d{1,6}$``). A free string, even one limited to "code-like" characters, can carry
``pregnancy_tuberculosis``: it is refused. A closed list is refused too when one of its values reveals health
(``health``, ``medical_leave``...): such a reason is published as a neutral value (``personal``) and the real
one stays in the service that may hold it. Field names that smell of identity or health are refused whatever
their type.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import re
import types
import typing
import uuid
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

IDENTITY_OR_HEALTH_NAME_PARTS = (
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

# Matched against each word of a value (split on _ - . : and spaces), lower-cased: "skill" is not "ill" and
# "hospitality" is not "hospital".
HEALTH_WORD_STEMS = (
    "health",
    "medic",
    "illness",
    "sick",
    "disab",
    "handicap",
    "pregnan",
    "maternity",
    "diagnos",
    "treatment",
    "therap",
    "disease",
    "injur",
    "mental",
    "psych",
    "tubercul",
    "cancer",
    "addict",
    "hospitalis",
    "hospitaliz",
)
HEALTH_WORDS = frozenset({"ill", "hospital", "hiv", "covid", "doctor", "surgery", "clinic"})

SAFE_TYPES = (uuid.UUID, datetime.date, datetime.datetime, datetime.time, decimal.Decimal, int, bool)

# A pattern is a strict format when no part of it admits an arbitrary letter: fixed letters (RNCP) and digits only.
_LETTER_CLASS = re.compile(r"\\[wWSDpP]|\[\^|\[[^\]]*[a-zA-Z]-[a-zA-Z][^\]]*\]|(?<!\\)\.")

_FREE_TEXT_FIX = (
    "replace it with a closed list of the codes the service publishes (a Literal[...] or an Enum in "
    "hope_contracts), or, for an identifier, a UUID, a date or a pattern without letter classes "
    "(such as r'^RNCP\\d{1,6}$')"
)
_HEALTH_FIX = (
    "remove the value from the published list: publish a neutral code instead (a health reason is published "
    "as 'personal') and keep the real reason inside the service, for those who may read it"
)


def reveals_health(value: object) -> bool:
    words = re.split(r"[_\-.:\s]+", str(value).lower())
    return any(word in HEALTH_WORDS or word.startswith(HEALTH_WORD_STEMS) for word in words)


def is_strict_format(pattern: str) -> bool:
    return not _LETTER_CLASS.search(pattern) and not re.search(r"\s", pattern)


def problems(model: type[BaseModel], prefix: str | None = None) -> list[str]:
    """Every breach of the rule in one model (nested models included), each saying what to change."""
    where = prefix or str(getattr(model, "event_type", model.__name__))
    found: list[str] = []
    for name, field in model.model_fields.items():
        path = f"{where}.{name}"
        parts = [part for part in IDENTITY_OR_HEALTH_NAME_PARTS if part in name]
        if parts:
            found.append(
                f"{path}: the field name contains {parts[0]!r}, which points at identity or health data; "
                "an event carries neither (DESIGN.md §5): drop the field, or rename it if it is neither"
            )
        found += _type_problems(path, field.annotation, field.metadata)
    return found


def _type_problems(path: str, annotation: typing.Any, metadata: Sequence[typing.Any]) -> list[str]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return _type_problems(path, inner, [*metadata, *extra])
    if origin in (typing.Union, types.UnionType):
        return [
            problem
            for arg in typing.get_args(annotation)
            if arg is not type(None)
            for problem in _type_problems(path, arg, metadata)
        ]
    if origin is typing.Literal:
        return _closed_list_problems(path, typing.get_args(annotation))
    if origin in (list, tuple, frozenset, set):
        return [
            problem
            for arg in typing.get_args(annotation)
            if arg is not Ellipsis
            for problem in _type_problems(f"{path}[]", arg, ())
        ]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _closed_list_problems(path, [member.value for member in annotation])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return problems(annotation, path)
    if annotation is str:
        patterns = [pattern for meta in metadata if (pattern := getattr(meta, "pattern", None)) is not None]
        if any(is_strict_format(str(pattern)) for pattern in patterns):
            return []
        shown = f" (the pattern {patterns[0]!s} admits any word)" if patterns else ""
        return [f"{path}: a free string{shown}; {_FREE_TEXT_FIX}"]
    if isinstance(annotation, type) and issubclass(annotation, SAFE_TYPES):
        return []
    return [f"{path}: the type {annotation!r} is not one an event may carry; {_FREE_TEXT_FIX}"]


def _closed_list_problems(path: str, values: Iterable[object]) -> list[str]:
    found = []
    for value in values:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            found.append(f"{path}: the closed list holds {value!r}, which is not a code; list strings or numbers")
        elif isinstance(value, str) and re.search(r"\s", value):
            found.append(f"{path}: the closed list holds {value!r}, which is text; list codes without spaces")
        elif reveals_health(value):
            found.append(f"{path}: the closed list holds {value!r}, which reveals health (DESIGN.md §5); {_HEALTH_FIX}")
    return found
