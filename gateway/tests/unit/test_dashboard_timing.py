"""A page's Server-Timing: calls made together are waited for once and are not "in a row"; calls made one after
another add up and are."""

from __future__ import annotations

import pytest

from gateway_service.api.dashboard.timing import Call, PageTiming, in_a_row, waited


def test_calls_made_together_are_waited_for_once() -> None:
    together = [Call("reporting", 0.0, 0.5), Call("reporting", 0.1, 0.4), Call("funding", 0.2, 0.6)]
    assert waited(together) == pytest.approx(0.6)
    assert in_a_row(together) == 1


def test_calls_made_one_after_another_add_up() -> None:
    pages = [Call("enrolment", 0.0, 0.1), Call("enrolment", 0.1, 0.25), Call("enrolment", 0.3, 0.4)]
    assert waited(pages) == pytest.approx(0.35)
    assert in_a_row(pages) == 3


def test_a_round_after_a_round_is_two_in_a_row() -> None:
    first = [Call("enrolment", 0.0, 0.2), Call("training", 0.0, 0.3)]
    then = [Call("training", 0.3, 0.4), Call("training", 0.31, 0.45)]
    assert in_a_row(first + then) == 2
    assert waited(first + then) == pytest.approx(0.45)


def test_the_header_gives_the_wait_the_gateways_own_part_and_each_service() -> None:
    timing = PageTiming(started=10.0, calls=[Call("reporting", 10.0, 10.3), Call("funding", 10.1, 10.2)])
    timing.render_s = 0.05
    header = timing.header(now=10.5)
    assert header == (
        'upstream;dur=300.0;desc="2 calls / 1 in a row", gateway;dur=200.0, render;dur=50.0, '
        'funding;dur=100.0;desc="1 calls / longest", reporting;dur=300.0;desc="1 calls / longest"'
    )


def test_a_page_without_calls_is_the_gateways_alone() -> None:
    assert PageTiming(started=0.0).header(now=0.02).startswith('upstream;dur=0.0;desc="0 calls / 0 in a row"')
