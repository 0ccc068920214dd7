"""The answers kept in memory: bounded by their rows, the least recently used dropped first."""

from __future__ import annotations

from reporting_service.service_layer.kept_answers import KeptAnswers


def test_answers_beyond_the_rows_kept_drop_the_least_recently_used_first() -> None:
    kept = KeptAnswers(capacity=10)
    kept.keep("a", "answer a", 4)
    kept.keep("b", "answer b", 4)
    assert kept.get("a") == "answer a"  # now b is the least recently used
    kept.keep("c", "answer c", 4)
    assert kept.get("b") is None
    assert (kept.get("a"), kept.get("c"), len(kept)) == ("answer a", "answer c", 2)


def test_an_answer_larger_than_the_whole_is_not_kept_and_a_kept_one_replaced_counts_once() -> None:
    kept = KeptAnswers(capacity=10)
    kept.keep("huge", "answer", 11)
    assert kept.get("huge") is None
    kept.keep("a", "first", 6)
    kept.keep("a", "second", 6)
    kept.keep("b", "answer b", 4)
    assert (kept.get("a"), kept.get("b")) == ("second", "answer b")
