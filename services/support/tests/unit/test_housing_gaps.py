from datetime import date, timedelta
from uuid import UUID, uuid4

from support_service.domain.gaps import GapKind, StepWindow, housing_gaps
from support_service.domain.housing import Placement
from support_service.domain.nights import Nights
from support_service.domain.vocabulary import PlacementStatus

TODAY = date(2025, 9, 15)
PERSON = UUID(int=1)


def days(first: int, last: int) -> Nights:
    return Nights(TODAY + timedelta(days=first), TODAY + timedelta(days=last))


def window(first: int, last: int, step: int = 3, person: UUID = PERSON) -> StepWindow:
    return StepWindow(person, step, days(first, last))


def placed(first: int, last: int, person: UUID = PERSON) -> Placement:
    return Placement(uuid4(), person, uuid4(), uuid4(), days(first, last), PlacementStatus.ACTIVE)


def test_a_person_housed_until_the_end_of_the_step_is_no_gap() -> None:
    assert housing_gaps([window(-10, 60)], [placed(-10, 30), placed(30, 60)], TODAY) == []


def test_a_person_in_step_without_a_placement_for_the_coming_week_is_a_gap_from_today() -> None:
    (gap,) = housing_gaps([window(-10, 60)], [], TODAY)
    assert gap.kind is GapKind.NO_PLACEMENT_COMING_WEEK
    assert gap.uncovered_from == TODAY
    assert gap.step_ends_on == TODAY + timedelta(days=60)


def test_a_step_starting_within_the_week_without_a_placement_is_a_gap_from_its_first_night() -> None:
    (gap,) = housing_gaps([window(4, 60, step=4)], [], TODAY)
    assert gap.kind is GapKind.NO_PLACEMENT_COMING_WEEK
    assert gap.uncovered_from == TODAY + timedelta(days=4)


def test_a_step_starting_after_the_coming_week_is_not_a_gap_yet() -> None:
    assert housing_gaps([window(8, 60)], [], TODAY) == []


def test_a_placement_ending_before_the_step_is_a_gap_from_its_last_morning() -> None:
    (gap,) = housing_gaps([window(-10, 60)], [placed(-10, 40)], TODAY)
    assert gap.kind is GapKind.PLACEMENT_ENDS_BEFORE_STEP
    assert gap.uncovered_from == TODAY + timedelta(days=40)


def test_a_hole_between_two_placements_is_a_gap() -> None:
    (gap,) = housing_gaps([window(-10, 60)], [placed(-10, 20), placed(25, 60)], TODAY)
    assert gap.uncovered_from == TODAY + timedelta(days=20)


def test_a_released_placement_counts_only_its_nights() -> None:
    placement = placed(-10, 60)
    placement.nights = days(-10, 3)
    (gap,) = housing_gaps([window(-10, 60)], [placement], TODAY)
    assert gap.uncovered_from == TODAY + timedelta(days=3)


def test_steps_other_than_3_and_4_and_finished_steps_are_ignored() -> None:
    assert housing_gaps([window(-10, 60, step=2), window(-30, -1)], [], TODAY) == []


def test_other_peoples_placements_do_not_cover_a_person() -> None:
    other = UUID(int=2)
    gaps = housing_gaps([window(-10, 60), window(-10, 60, person=other)], [placed(-10, 60, person=other)], TODAY)
    assert [g.beneficiary_id for g in gaps] == [PERSON]
