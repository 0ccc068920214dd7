from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.cohort import Cohort
from enrolment_service.domain.errors import (
    AlreadyCohortMember,
    CohortFull,
    InvalidValue,
    NotEligibleForCohort,
    UnknownSector,
)
from enrolment_service.domain.events import CohortCreated, CohortMemberAdded, StepStarted
from enrolment_service.domain.pathway import Pathway
from enrolment_service.domain.vocabulary import PathwayStatus, Step, Track

PathwayIn = Callable[..., Pathway]
COHORT_ID = UUID("00000000-0000-4000-8000-0000000000c9")
AFPA = UUID("00000000-0000-4000-8000-00000000af0a")
ETTI = UUID("00000000-0000-4000-8000-00000000e771")
AT = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)


def a_cohort(**changes: Any) -> Cohort:
    arguments: dict[str, Any] = {
        "cohort_id": COHORT_ID,
        "name": "HOPE Lyon BTP 2025-2",
        "sector_code": "construction",
        "region": "84",
        "track": Track.GROUP,
        "training_provider_org_id": AFPA,
        "support_provider_org_id": ETTI,
        "capacity": 2,
        "calendar": {
            Step.TRADE_QUALIFICATION: (date(2025, 9, 1), None),
            Step.FRENCH_QUALIFICATION: (date(2025, 5, 5), None),
        },
        "at": AT,
    }
    arguments.update(changes)
    cohort, _ = Cohort.create(**arguments)
    return cohort


def candidate(pathway_in: PathwayIn, number: int, track: Track = Track.GROUP) -> Pathway:
    pathway = pathway_in(PathwayStatus.PRE_ORIENTATION, track)
    pathway.beneficiary_id = UUID(int=number)
    pathway.cohort_id = None
    return pathway


def test_creation() -> None:
    cohort, created = Cohort.create(
        cohort_id=COHORT_ID,
        name=" HOPE Lyon  BTP ",
        sector_code="construction",
        region="84",
        track=Track.GROUP,
        training_provider_org_id=AFPA,
        support_provider_org_id=ETTI,
        capacity=12,
        at=AT,
    )
    assert created == CohortCreated(
        cohort_id=COHORT_ID,
        sector_code="construction",
        region="84",
        track=Track.GROUP,
        training_provider_org_id=AFPA,
        support_provider_org_id=ETTI,
        capacity=12,
        calendar=(),
        occurred_at=AT,
    )
    assert cohort.name == "HOPE Lyon BTP"
    assert cohort.calendar.periods == ()
    assert cohort.member_ids == set()
    assert cohort.places_left == 12


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"region": "99"}, "region"),
        ({"region": "Île-de-France"}, "region"),
        ({"name": "  "}, "name"),
        (
            {
                "calendar": {
                    Step.FRENCH_QUALIFICATION: (date(2025, 9, 1), None),
                    Step.TRADE_QUALIFICATION: (date(2025, 5, 5), None),
                }
            },
            "trade_qualification_starts_on",
        ),
    ],
)
def test_creation_refuses_bad_values(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        a_cohort(**changes)
    assert refused.value.field == field


def test_creation_refuses_an_unknown_sector() -> None:
    with pytest.raises(UnknownSector):
        a_cohort(sector_code="mining")


def test_adding_members_up_to_capacity(pathway_in: PathwayIn) -> None:
    cohort = a_cohort()
    first, second, third = (candidate(pathway_in, n) for n in (1, 2, 3))

    # Added before the cohort starts (on 5 May): they join on its first day.
    assert cohort.add_member(first, AT) == [
        CohortMemberAdded(cohort_id=COHORT_ID, beneficiary_id=UUID(int=1), joined_on=date(2025, 5, 5), occurred_at=AT)
    ]
    assert first.cohort_id == COHORT_ID
    assert cohort.add_member(first, AT) == []
    assert cohort.add_member(second, AT) == [
        CohortMemberAdded(cohort_id=COHORT_ID, beneficiary_id=UUID(int=2), joined_on=date(2025, 5, 5), occurred_at=AT)
    ]
    assert cohort.places_left == 0

    with pytest.raises(CohortFull) as refused:
        cohort.add_member(third, AT)
    assert (refused.value.cohort_id, refused.value.capacity) == (COHORT_ID, 2)
    assert third.cohort_id is None
    assert cohort.member_ids == {UUID(int=1), UUID(int=2)}


def test_a_member_can_start_step_3_in_the_cohort(pathway_in: PathwayIn, akto: Actor) -> None:
    cohort = a_cohort()
    pathway = candidate(pathway_in, 1)
    cohort.add_member(pathway, AT)
    events = pathway.start_french_qualification(akto, AT)
    assert isinstance(events[1], StepStarted)
    assert events[1].cohort_id == COHORT_ID


@pytest.mark.parametrize(
    "status", [PathwayStatus.REGISTERED, PathwayStatus.PREREQUISITES, PathwayStatus.ON_HOLD, PathwayStatus.WITHDRAWN]
)
def test_only_validated_prerequisites_can_join(status: PathwayStatus, pathway_in: PathwayIn) -> None:
    pathway = pathway_in(status)
    pathway.sector_code = "construction"
    with pytest.raises(NotEligibleForCohort, match="pre_orientation"):
        a_cohort().add_member(pathway, AT)
    assert pathway.cohort_id is None


def test_a_member_of_another_cohort_cannot_join(pathway_in: PathwayIn) -> None:
    pathway = candidate(pathway_in, 1)
    pathway.cohort_id = UUID(int=99)
    with pytest.raises(NotEligibleForCohort, match="already in cohort"):
        a_cohort().add_member(pathway, AT)
    assert pathway.cohort_id == UUID(int=99)


def test_sector_must_be_chosen_and_match(pathway_in: PathwayIn) -> None:
    cohort = a_cohort()
    pathway = candidate(pathway_in, 1)
    pathway.sector_code = None
    with pytest.raises(NotEligibleForCohort, match="choose a sector"):
        cohort.add_member(pathway, AT)
    pathway.sector_code = "retail"
    with pytest.raises(NotEligibleForCohort, match="chose retail"):
        cohort.add_member(pathway, AT)
    assert cohort.member_ids == set()


def test_track_must_match(pathway_in: PathwayIn) -> None:
    pathway = candidate(pathway_in, 1, Track.INDIVIDUAL)
    with pytest.raises(NotEligibleForCohort, match="individual track"):
        a_cohort().add_member(pathway, AT)
    individual = a_cohort(track=Track.INDIVIDUAL)
    assert len(individual.add_member(pathway, AT)) == 1


def test_creation_reports_every_refused_value_at_once() -> None:
    with pytest.raises(InvalidValue) as refused:
        a_cohort(name="  ", capacity=0, region="99")

    assert [field for field, _ in refused.value.refusals] == ["name", "capacity", "region"]


def test_an_unknown_region_is_refused_without_repeating_the_code_sent() -> None:
    with pytest.raises(InvalidValue) as refused:
        a_cohort(region="Île-de-France")
    assert "Île" not in refused.value.detail


# The cohort of a_cohort() starts step 3 on 5 May 2025; the candidates' prerequisites were validated on 10 March.
UNDER_WAY = datetime(2025, 6, 10, 14, 0, tzinfo=UTC)


def test_a_person_who_joins_a_cohort_under_way_joins_on_the_day_they_are_added(pathway_in: PathwayIn) -> None:
    cohort = a_cohort()
    late = candidate(pathway_in, 1)

    [added] = cohort.add_member(late, UNDER_WAY)

    assert isinstance(added, CohortMemberAdded)
    assert added.joined_on == late.cohort_joined_on == date(2025, 6, 10)


@pytest.mark.parametrize("joined_on", [date(2025, 5, 5), date(2025, 6, 2), date(2025, 7, 10)])
def test_a_join_date_may_be_given_from_the_cohorts_first_day_to_thirty_days_ahead(
    pathway_in: PathwayIn, joined_on: date
) -> None:
    late = candidate(pathway_in, 1)
    [added] = a_cohort().add_member(late, UNDER_WAY, joined_on)
    assert isinstance(added, CohortMemberAdded)
    assert added.joined_on == late.cohort_joined_on == joined_on


@pytest.mark.parametrize(
    ("calendar", "at", "joined_on", "reason"),
    [
        (None, UNDER_WAY, date(2025, 5, 4), "before the cohort's first day (2025-05-05)"),
        (None, UNDER_WAY, date(2025, 7, 11), "more than 30 days after 2025-06-10"),
        # Added before the cohort starts, the thirty days run from its first day.
        (None, AT, date(2025, 6, 5), "more than 30 days after 2025-05-05"),
        ({}, AT, date(2025, 3, 9), "before the person's prerequisites were validated (2025-03-10)"),
    ],
)
def test_a_join_date_out_of_bounds_is_refused_on_its_field(
    pathway_in: PathwayIn, calendar: dict[Step, Any] | None, at: datetime, joined_on: date, reason: str
) -> None:
    cohort = a_cohort() if calendar is None else a_cohort(calendar=calendar)
    person = candidate(pathway_in, 1)

    with pytest.raises(InvalidValue) as refused:
        cohort.add_member(person, at, joined_on)

    assert refused.value.refusals == (("joined_on", f"cannot be {reason}"),)
    assert person.cohort_id is None
    assert person.cohort_joined_on is None
    assert cohort.member_ids == set()


def test_a_cohort_without_a_calendar_is_joined_on_the_day_of_the_request(pathway_in: PathwayIn) -> None:
    person = candidate(pathway_in, 1)
    [added] = a_cohort(calendar={}).add_member(person, AT)
    assert isinstance(added, CohortMemberAdded)
    assert added.joined_on == date(2025, 4, 1)


def test_adding_a_member_again_keeps_their_join_date_and_refuses_another(pathway_in: PathwayIn) -> None:
    cohort = a_cohort()
    person = candidate(pathway_in, 1)
    cohort.add_member(person, UNDER_WAY, date(2025, 6, 2))

    assert cohort.add_member(person, UNDER_WAY) == []
    assert cohort.add_member(person, UNDER_WAY, date(2025, 6, 2)) == []
    with pytest.raises(AlreadyCohortMember) as refused:
        cohort.add_member(person, UNDER_WAY, date(2025, 6, 3))
    assert refused.value.details() == {"joined_on": "2025-06-02"}
    assert person.cohort_joined_on == date(2025, 6, 2)
