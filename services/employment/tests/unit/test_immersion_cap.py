"""Company immersions in step 3: at most a third of the step's planned hours in total, never overlapping."""

import contextlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from employment_service.domain.employer import Establishment
from employment_service.domain.errors import DomainError, ImmersionCapExceeded, InvalidValue, Unprocessable
from employment_service.domain.identifiers import Commune
from employment_service.domain.person_path import PersonPath
from employment_service.domain.placement import ImmersionPlacement, immersion_cap, place

PERSON = UUID("00000000-0000-4000-8000-000000000001")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
SITE = Establishment(uuid4(), uuid4(), Commune("69381"))


def placed(
    starts_on: date,
    days: int,
    hours: str,
    earlier: list[ImmersionPlacement],
    step: int | None = 3,
    planned: Decimal = Decimal("400"),
) -> ImmersionPlacement:
    placement, _ = place(
        path=PersonPath(PERSON, step=step),
        establishment=SITE,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        placement_hours=Decimal(hours),
        placements_of_person=earlier,
        at=NOW,
        step_planned_hours=planned,
    )
    return placement


def test_the_cap_is_a_third_of_the_planned_hours_rounded_down() -> None:
    assert immersion_cap(Decimal("400")) == Decimal("133.33")
    assert immersion_cap(Decimal("450")) == Decimal("150.00")


def test_placements_may_add_up_to_exactly_the_cap() -> None:
    first = placed(date(2026, 4, 6), 7, "70", [])
    second = placed(date(2026, 5, 4), 10, "63.33", [first])
    assert first.hours + second.hours == Decimal("133.33")


def test_one_hundredth_of_an_hour_over_the_cap_is_refused_with_the_figures() -> None:
    first = placed(date(2026, 4, 6), 7, "70", [])
    with pytest.raises(ImmersionCapExceeded) as refused:
        placed(date(2026, 5, 4), 10, "63.34", [first])
    assert refused.value.details() == {"cap_hours": "133.33", "already_hours": "70.00", "requested_hours": "63.34"}
    assert refused.value.category == "unprocessable"


def test_the_cap_follows_the_steps_planned_hours() -> None:
    assert placed(date(2026, 4, 6), 15, "150", [], planned=Decimal("450")).hours == Decimal("150.00")


@pytest.mark.parametrize("step", [None, 1, 2, 4])
def test_an_immersion_is_made_only_during_step_three(step: int | None) -> None:
    with pytest.raises(Unprocessable) as refused:
        placed(date(2026, 4, 6), 5, "35", [], step=step)
    assert refused.value.details() == {"rule": "step_3_required"}


def test_no_immersion_is_made_for_someone_who_left_the_path() -> None:
    path = PersonPath(PERSON, step=3)
    path.withdrawn("moved_away", 3, date(2026, 4, 1))
    with pytest.raises(Unprocessable):
        place(
            path=path,
            establishment=SITE,
            starts_on=date(2026, 4, 6),
            ends_on=date(2026, 4, 10),
            placement_hours=Decimal("35"),
            placements_of_person=[],
            at=NOW,
        )


def test_two_immersions_of_one_person_cannot_overlap() -> None:
    first = placed(date(2026, 4, 6), 5, "35", [])
    with pytest.raises(InvalidValue, match="overlaps"):
        placed(date(2026, 4, 10), 3, "21", [first])


@pytest.mark.parametrize(("days", "hours"), [(1, "10.01"), (1, "0"), (2, "-1")])
def test_hours_must_fit_in_the_days_of_the_immersion(days: int, hours: str) -> None:
    with pytest.raises(InvalidValue):
        placed(date(2026, 4, 6), days, hours, [])


def test_an_immersion_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidValue, match="ends_on"):
        place(
            path=PersonPath(PERSON, step=3),
            establishment=SITE,
            starts_on=date(2026, 4, 6),
            ends_on=date(2026, 4, 5),
            placement_hours=Decimal("7"),
            placements_of_person=[],
            at=NOW,
        )


@given(requests=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("70"), places=2), max_size=12))
def test_whatever_is_asked_the_placed_hours_never_exceed_the_cap(requests: list[Decimal]) -> None:
    made: list[ImmersionPlacement] = []
    for week, hours in enumerate(requests):
        with contextlib.suppress(DomainError):
            made.append(placed(date(2026, 4, 6) + timedelta(weeks=week), 7, str(hours), made))
    assert sum((p.hours for p in made), Decimal(0)) <= Decimal("133.33")
