"""Cursors are opaque to callers, so anything they forge must be a 400 and never reach a query."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from hopekit.api.pagination import after_id, decode_cursor, encode_cursor, next_cursor
from hopekit.api.problems import Problem


@dataclass
class Row:
    id: uuid.UUID


def test_a_cursor_given_out_resumes_after_the_last_row_of_the_page() -> None:
    rows = [Row(uuid.uuid4()) for _ in range(3)]

    cursor = next_cursor(rows, limit=2)

    assert cursor is not None
    assert after_id(cursor) == rows[1].id


def test_the_last_page_has_no_cursor() -> None:
    assert next_cursor([Row(uuid.uuid4()) for _ in range(2)], limit=2) is None
    assert after_id(None) is None


@pytest.mark.parametrize(
    "forged",
    [
        "%%%",
        "bm90IGpzb24",  # "not json"
        encode_cursor({"after": 1}),
        encode_cursor({"after": "not-a-uuid"}),
        encode_cursor({"before": str(uuid.uuid4())}),
        encode_cursor({"after": None}),
        "WzEsMl0",  # "[1,2]": JSON, but not an object
        "_w",  # not UTF-8
    ],
)
def test_a_forged_cursor_is_a_400_problem(forged: str) -> None:
    with pytest.raises(Problem) as refused:
        after_id(forged)

    assert refused.value.status == 400
    assert refused.value.slug == "invalid-cursor"


def test_decode_round_trips_what_encode_wrote() -> None:
    assert decode_cursor(encode_cursor({"after": "x", "n": 2})) == {"after": "x", "n": 2}
