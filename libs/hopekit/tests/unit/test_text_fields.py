"""A text field's document states what the field refuses: a generated client that follows the stated pattern is
never refused for its characters, and what the pattern lets through is what the service takes."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from hopekit.api.schemas import Name, RequestModel, text


class Person(RequestModel):
    name: Name
    nickname: text(40, min_length=0) = ""  # type: ignore[valid-type]


def _pattern(field: str) -> re.Pattern[str]:
    return re.compile(Person.model_json_schema()["properties"][field]["pattern"])


def _accepted(field: str, value: str) -> bool:
    try:
        Person.model_validate({"name": "Awa", field: value})
    except ValidationError:
        return False
    return True


@given(st.text(min_size=1, max_size=30))
def test_a_required_texts_pattern_agrees_with_the_service_on_any_stripped_value(value: str) -> None:
    stripped = value.strip()
    if not stripped:
        assert not _accepted("name", value)
        return
    assert bool(_pattern("name").fullmatch(stripped)) == _accepted("name", stripped)


@given(st.text(max_size=30))
def test_an_optional_texts_pattern_agrees_with_the_service(value: str) -> None:
    stripped = value.strip()
    assert bool(_pattern("nickname").fullmatch(stripped)) == _accepted("nickname", stripped)


def test_control_characters_and_blank_names_are_outside_the_stated_pattern() -> None:
    pattern = _pattern("name")
    assert pattern.fullmatch("Awa Diallo")
    assert not pattern.fullmatch("Awa\x00")
    assert not pattern.fullmatch("A\x85")
    assert not pattern.fullmatch("   ")
    assert _pattern("nickname").fullmatch("")
