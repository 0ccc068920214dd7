from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support_service.domain.actor import Actor, OrgKind, Role
from support_service.domain.errors import AlreadyHoused, BedTaken, IllegalTransition, InvalidValue, ResidenceClosed
from support_service.domain.housing import Bed, Placement, Residence
from support_service.domain.nights import Nights
from support_service.domain.vocabulary import PlacementStatus

DAY0 = date(2025, 9, 1)
RESIDENCE = Residence(uuid4(), uuid4(), "75056", "75", (Nights(DAY0, DAY0 + timedelta(days=365)),))
BEDS = [Bed(UUID(int=n + 1), RESIDENCE.id, f"room-{n}") for n in range(2)]
PEOPLE = [UUID(int=100 + n) for n in range(3)]
WORKER = Actor("housing-officer", uuid4(), OrgKind.SUPPORT_PROVIDER, frozenset({Role.WRITER}))
NOW = datetime(2025, 9, 1, 8, tzinfo=UTC)


def nights(first: int, count: int) -> Nights:
    return Nights(DAY0 + timedelta(days=first), DAY0 + timedelta(days=first + count))


def assign(placements: list[Placement], worker, now, person: UUID, bed: Bed, stay: Nights) -> Placement:
    placement, _ = Placement.assign(
        placement_id=uuid4(),
        beneficiary_id=person,
        residence=RESIDENCE,
        bed=bed,
        nights=stay,
        placements_of_bed=[p for p in placements if p.bed_id == bed.id],
        placements_of_person=[p for p in placements if p.beneficiary_id == person],
        actor=worker,
        at=now,
    )
    placements.append(placement)
    return placement


def test_a_bed_is_refused_to_a_second_person_for_a_shared_night_naming_the_first_one(worker, now) -> None:
    placements: list[Placement] = []
    assign(placements, worker, now, PEOPLE[0], BEDS[0], nights(0, 7))
    with pytest.raises(BedTaken) as refused:
        assign(placements, worker, now, PEOPLE[1], BEDS[0], nights(5, 7))
    assert refused.value.first_night == DAY0 + timedelta(days=5)
    assert refused.value.category == "conflict"


def test_the_morning_one_person_leaves_another_may_sleep_in_the_bed(worker, now) -> None:
    placements: list[Placement] = []
    assign(placements, worker, now, PEOPLE[0], BEDS[0], nights(0, 7))
    assign(placements, worker, now, PEOPLE[1], BEDS[0], nights(7, 7))
    assert len(placements) == 2


def test_a_person_is_not_given_two_beds_the_same_night(worker, now) -> None:
    placements: list[Placement] = []
    assign(placements, worker, now, PEOPLE[0], BEDS[0], nights(0, 7))
    with pytest.raises(AlreadyHoused):
        assign(placements, worker, now, PEOPLE[0], BEDS[1], nights(6, 2))


def test_a_stay_without_nights_or_outside_the_residences_open_periods_is_refused(worker, now) -> None:
    with pytest.raises(InvalidValue):
        assign([], worker, now, PEOPLE[0], BEDS[0], nights(3, 0))
    with pytest.raises(ResidenceClosed):
        assign([], worker, now, PEOPLE[0], BEDS[0], nights(360, 10))


def test_a_released_bed_is_free_from_the_release_date_and_not_before(worker, now) -> None:
    placements: list[Placement] = []
    first = assign(placements, worker, now, PEOPLE[0], BEDS[0], nights(0, 30))
    released = first.release(DAY0 + timedelta(days=10), worker, now)
    assert released.released_on == DAY0 + timedelta(days=10)
    assert first.status is PlacementStatus.ENDED
    assert first.nights == nights(0, 10)
    with pytest.raises(BedTaken):
        assign(placements, worker, now, PEOPLE[1], BEDS[0], nights(9, 3))
    assign(placements, worker, now, PEOPLE[1], BEDS[0], nights(10, 3))


def test_a_placement_released_before_its_first_night_keeps_no_night(worker, now) -> None:
    placement = assign([], worker, now, PEOPLE[0], BEDS[0], nights(20, 5))
    placement.release(DAY0, worker, now)
    assert placement.nights.is_empty
    with pytest.raises(IllegalTransition):
        placement.release(DAY0, worker, now)


def test_a_placement_starting_later_is_planned_and_one_started_is_active(worker, now) -> None:
    assert (
        assign(
            [], worker, now, PEOPLE[0], BEDS[0], Nights(now.date() + timedelta(days=1), now.date() + timedelta(days=3))
        ).status
        is PlacementStatus.PLANNED
    )
    assert (
        assign([], worker, now, PEOPLE[0], BEDS[0], Nights(now.date(), now.date() + timedelta(days=3))).status
        is PlacementStatus.ACTIVE
    )


requests = st.lists(
    st.tuples(
        st.sampled_from(PEOPLE),
        st.sampled_from(BEDS),
        st.integers(0, 20),
        st.integers(0, 8),
        st.none() | st.integers(0, 25),
    ),
    max_size=25,
)


@given(requests)
def test_whatever_is_asked_no_bed_and_no_person_ever_has_two_placements_on_one_night(asked) -> None:
    worker, now = WORKER, NOW
    placements: list[Placement] = []
    for person, bed, first, count, release_on in asked:
        stay = nights(first, count)
        clash = any(p.nights.overlaps(stay) and (p.bed_id == bed.id or p.beneficiary_id == person) for p in placements)
        try:
            placement = assign(placements, worker, now, person, bed, stay)
        except (BedTaken, AlreadyHoused, InvalidValue):
            assert clash or stay.is_empty
            continue
        assert not clash
        if release_on is not None:
            placement.release(DAY0 + timedelta(days=release_on), worker, now)
    for key in ("bed_id", "beneficiary_id"):
        taken = [(getattr(p, key), night) for p in placements for night in p.nights]
        assert len(taken) == len(set(taken))
