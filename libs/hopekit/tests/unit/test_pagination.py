"""Cursors are opaque to callers, so anything they forge must be a 400 and never reach a query."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from hopekit.api.pagination import after_id, decode_cursor, encode_cursor, next_cursor, page_by, page_of, read_cursor
from hopekit.api.problems import Problem


@dataclass
class Row:
    id: uuid.UUID


@dataclass
class Dated:
    due_on: str
    n: int


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


def test_a_page_shows_limit_rows_of_the_limit_plus_one_fetched_and_resumes_after_the_last_shown() -> None:
    rows = [Row(uuid.uuid4()) for _ in range(3)]

    page = page_of(rows, 2, lambda row: str(row.id))

    assert page.items == [str(rows[0].id), str(rows[1].id)]
    assert after_id(page.next_cursor) == rows[1].id
    last = page_of(rows[2:], 2, lambda row: str(row.id))
    assert last.items == [str(rows[2].id)]
    assert last.next_cursor is None


def test_a_list_in_another_order_keeps_its_own_position_in_the_cursor() -> None:
    rows = [Dated("2027-01-01", 1), Dated("2027-01-01", 2), Dated("2027-02-01", 3)]

    page = page_by(rows, 2, lambda row: row.n, lambda row: {"due_on": row.due_on, "n": row.n})

    assert page.items == [1, 2]
    assert read_cursor(page.next_cursor, lambda position: (position["due_on"], int(position["n"]))) == (
        "2027-01-01",
        2,
    )
    with pytest.raises(Problem) as refused:
        read_cursor(encode_cursor({"after": str(uuid.uuid4())}), lambda position: position["due_on"])
    assert refused.value.slug == "invalid-cursor"
