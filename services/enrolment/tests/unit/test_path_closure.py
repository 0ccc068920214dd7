"""The path completes once step 4 started, its qualification result is in and the exit outcome is recorded:
exactly once, whatever the order or repetition of those events, and never after the path was left."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.closure import REQUIRED, PathClosure, PathSignal, decide
from enrolment_service.domain.errors import IllegalTransition
from enrolment_service.domain.pathway import RESULTS_IN, Pathway
from enrolment_service.domain.vocabulary import HoldReason, PathwayStatus

PathwayIn = Callable[[PathwayStatus], Pathway]
NOW = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)

ALL = list(PathSignal)
CLOSURE = Actor("hope:path-closure", UUID(int=0))


def run(signals: list[PathSignal]) -> tuple[PathClosure, list[int]]:
    state, completions = PathClosure(), []
    for index, signal in enumerate(signals):
        state, complete = decide(state, signal)
        if complete:
            completions.append(index)
    return state, completions


def test_the_path_completes_when_the_last_of_the_three_arrives() -> None:
    state, completions = run(
        [PathSignal.STEP_4_STARTED, PathSignal.OUTCOME_RECORDED, PathSignal.QUALIFICATION_RESULT_IN]
    )
    assert completions == [2]
    assert state.completed
    assert state.waiting_for == frozenset()


def test_an_outcome_alone_does_not_complete_the_path() -> None:
    state, completions = run([PathSignal.STEP_4_STARTED, PathSignal.OUTCOME_RECORDED, PathSignal.OUTCOME_RECORDED])
    assert completions == []
    assert state.waiting_for == {PathSignal.QUALIFICATION_RESULT_IN}


def test_a_path_left_before_the_three_are_in_never_completes() -> None:
    _, completions = run(
        [
            PathSignal.STEP_4_STARTED,
            PathSignal.PATH_LEFT,
            PathSignal.QUALIFICATION_RESULT_IN,
            PathSignal.OUTCOME_RECORDED,
        ]
    )
    assert completions == []


@given(st.lists(st.sampled_from([s for s in ALL if s is not PathSignal.PATH_LEFT]), max_size=20))
def test_any_order_and_repetition_completes_exactly_once_at_the_first_moment_all_three_are_in(
    signals: list[PathSignal],
) -> None:
    _, completions = run(signals)
    firsts = [signals.index(s) for s in REQUIRED if s in signals]
    if len(firsts) == len(REQUIRED):
        assert completions == [max(firsts)]
    else:
        assert completions == []


@given(st.lists(st.sampled_from(ALL), max_size=20))
def test_with_departures_mixed_in_the_path_completes_at_most_once_and_only_if_all_came_before_leaving(
    signals: list[PathSignal],
) -> None:
    state, completions = run(signals)
    assert len(completions) <= 1
    before_leaving = signals[: signals.index(PathSignal.PATH_LEFT)] if PathSignal.PATH_LEFT in signals else signals
    assert bool(completions) == (set(before_leaving) >= REQUIRED)
    assert state.closed == (bool(completions) or PathSignal.PATH_LEFT in signals)


@given(st.lists(st.sampled_from(ALL), max_size=12))
def test_once_completed_no_further_event_completes_it_again_or_reopens_it(later: list[PathSignal]) -> None:
    state, _ = run(list(REQUIRED))
    for signal in later:
        state, complete = decide(state, signal)
        assert not complete
    assert state.completed
    assert not state.left


# How the pathway completes when the rule says so (enrolment's side of the rule).


def test_the_rule_completes_a_path_in_step_4_and_says_why_in_the_history(pathway_in: PathwayIn) -> None:
    pathway = pathway_in(PathwayStatus.TRADE_QUALIFICATION)
    events = pathway.complete_on_results(CLOSURE, pathway.history[-1].at + timedelta(days=1))

    assert [type(event).__name__ for event in events] == ["StepCompleted", "PathwayCompleted"]
    assert pathway.status is PathwayStatus.COMPLETED
    assert pathway.history[-1].reason_code == RESULTS_IN


def test_a_path_on_hold_in_step_4_completes_too(pathway_in: PathwayIn) -> None:
    pathway = pathway_in(PathwayStatus.TRADE_QUALIFICATION)
    pathway.put_on_hold(HoldReason.PERSONAL, CLOSURE, pathway.history[-1].at)

    pathway.complete_on_results(CLOSURE, NOW)

    assert (pathway.status, pathway.status_before_hold) == (PathwayStatus.COMPLETED, None)


def test_late_events_keep_the_history_in_order(pathway_in: PathwayIn) -> None:
    pathway = pathway_in(PathwayStatus.TRADE_QUALIFICATION)
    last = pathway.history[-1].at
    pathway.complete_on_results(CLOSURE, last - timedelta(days=3))
    assert pathway.history[-1].at == last


@pytest.mark.parametrize("status", [PathwayStatus.FRENCH_QUALIFICATION, PathwayStatus.WITHDRAWN, PathwayStatus.ON_HOLD])
def test_a_path_before_step_4_or_already_left_is_not_completed_by_the_rule(
    pathway_in: PathwayIn, status: PathwayStatus
) -> None:
    with pytest.raises(IllegalTransition):
        pathway_in(status).complete_on_results(CLOSURE, NOW)
