"""When a person's path is complete: step 4 started, its qualification result in, the exit outcome recorded.

Enrolment applies it (it owns the pathway); a copy of employment's ``domain/closure.py``, where the rule is
stated beside the outcome it waits for (services never import each other: change both together). Events
arrive at least once and in any order across services, so the decision is a fold over signals: whatever
their order or repetition, it says "complete now" exactly once, and never after the path was left another way.
"""

from dataclasses import dataclass, replace
from enum import StrEnum


class PathSignal(StrEnum):
    STEP_4_STARTED = "step_4_started"  # enrolment's own step-started (4)
    QUALIFICATION_RESULT_IN = "qualification_result_in"  # training's qualification-awarded, whatever the result
    OUTCOME_RECORDED = "outcome_recorded"  # employment's outcome-recorded
    PATH_LEFT = "path_left"  # withdrawn or completed by another route: nothing is left to decide


REQUIRED = frozenset({PathSignal.STEP_4_STARTED, PathSignal.QUALIFICATION_RESULT_IN, PathSignal.OUTCOME_RECORDED})


@dataclass(frozen=True)
class PathClosure:
    seen: frozenset[PathSignal] = frozenset()
    completed: bool = False  # this rule decided the completion
    left: bool = False

    @property
    def closed(self) -> bool:
        return self.completed or self.left

    @property
    def waiting_for(self) -> frozenset[PathSignal]:
        return frozenset() if self.closed else REQUIRED - self.seen


def decide(state: PathClosure, signal: PathSignal) -> tuple[PathClosure, bool]:
    """The state after `signal`, and whether the path must be completed now (True at most once)."""
    seen = state.seen | {signal}
    if state.closed:
        return replace(state, seen=seen), False
    if signal is PathSignal.PATH_LEFT:
        return replace(state, seen=seen, left=True), False
    if seen >= REQUIRED:
        return replace(state, seen=seen, completed=True), True
    return replace(state, seen=seen), False
