"""The local view of a person's path: monotone, so duplicated or reordered events leave it the same."""

from datetime import UTC, date, datetime, timedelta
from itertools import permutations
from uuid import UUID, uuid4

import pytest

from employment_service.domain.person_path import PathState, PersonPath

PERSON = UUID("00000000-0000-4000-8000-000000000001")
COHORT = uuid4()


def apply(path: PersonPath, event: str) -> None:
    if event == "step3":
        path.step_started(3, COHORT)
    elif event == "step4":
        path.step_started(4, COHORT)
    elif event == "withdrawn":
        path.withdrawn("employment_found", 4, date(2026, 6, 1))
    elif event == "completed":
        path.completed(date(2026, 7, 1))


@pytest.mark.parametrize("order", list(permutations(["step3", "step4", "withdrawn"])))
def test_the_step_only_rises_and_a_withdrawal_sticks_whatever_the_order(order: tuple[str, ...]) -> None:
    path = PersonPath(PERSON)
    for event in order + order:
        apply(path, event)
    assert (path.step, path.state, path.withdrawal_reason) == (4, PathState.WITHDRAWN, "employment_found")
    assert path.cohort_id == COHORT


def test_a_withdrawn_path_is_not_completed_later_and_a_completed_one_not_withdrawn() -> None:
    withdrawn, completed = PersonPath(PERSON), PersonPath(PERSON)
    withdrawn.withdrawn("personal", 3, date(2026, 6, 1))
    withdrawn.completed(date(2026, 7, 1))
    completed.completed(date(2026, 7, 1))
    completed.withdrawn("personal", 4, date(2026, 8, 1))
    assert (withdrawn.state, withdrawn.left_on) == (PathState.WITHDRAWN, date(2026, 6, 1))
    assert (completed.state, completed.left_on, completed.withdrawal_reason) == (
        PathState.COMPLETED,
        date(2026, 7, 1),
        None,
    )


def test_an_erased_person_stays_erased() -> None:
    path = PersonPath(PERSON, step=4)
    path.withdrawn("health", 4, date(2026, 6, 1))
    path.erased()
    path.completed(date(2026, 7, 1))
    path.withdrawn("other", 4, date(2026, 7, 1))
    assert path.state is PathState.ERASED
    assert path.withdrawal_reason is None
    assert not path.expects_outcome


@pytest.mark.parametrize(
    ("step", "left", "expects", "in_kpi"),
    [(2, False, False, False), (4, False, True, False), (2, True, True, False), (3, True, True, True)],
)
def test_who_expects_an_outcome_and_who_counts_in_the_kpi(step: int, left: bool, expects: bool, in_kpi: bool) -> None:
    path = PersonPath(PERSON, step=step)
    if left:
        path.withdrawn("employment_found", step, date(2026, 6, 1))
    assert (path.expects_outcome, path.counts_in_kpi) == (expects, in_kpi)


GIVEN_AT = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
WITHDRAWN_AT = GIVEN_AT + timedelta(days=30)


@pytest.mark.parametrize(
    "order",
    list(permutations([(True, GIVEN_AT), (False, WITHDRAWN_AT), (True, GIVEN_AT - timedelta(days=1))])),
)
def test_the_latest_consent_decision_wins_whatever_the_order_and_repetitions(
    order: tuple[tuple[bool, datetime], ...],
) -> None:
    path = PersonPath(PERSON)
    for given, at in order + order:
        path.data_sharing_consent(given, at)
    assert (path.shares_with_public_employment, path.data_sharing_decided_at) == (False, WITHDRAWN_AT)


def test_consent_given_after_a_withdrawal_shows_the_person_again() -> None:
    path = PersonPath(PERSON)
    assert path.data_sharing_consent(False, GIVEN_AT)
    assert path.data_sharing_consent(True, WITHDRAWN_AT)
    assert path.shares_with_public_employment


def test_an_older_or_repeated_decision_is_not_applied() -> None:
    path = PersonPath(PERSON)
    assert path.data_sharing_consent(True, GIVEN_AT)
    assert not path.data_sharing_consent(True, GIVEN_AT)
    assert not path.data_sharing_consent(False, GIVEN_AT - timedelta(seconds=1))
    assert path.shares_with_public_employment


def test_of_two_decisions_at_the_same_instant_the_withdrawal_wins_in_either_order() -> None:
    given_first, withdrawn_first = PersonPath(PERSON), PersonPath(PERSON)
    given_first.data_sharing_consent(True, GIVEN_AT)
    given_first.data_sharing_consent(False, GIVEN_AT)
    withdrawn_first.data_sharing_consent(False, GIVEN_AT)
    withdrawn_first.data_sharing_consent(True, GIVEN_AT)
    assert not given_first.shares_with_public_employment
    assert not withdrawn_first.shares_with_public_employment


def test_an_erased_person_shares_nothing_any_more() -> None:
    path = PersonPath(PERSON)
    path.data_sharing_consent(True, GIVEN_AT)
    path.erased()
    assert not path.shares_with_public_employment
