from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.cohort import Cohort
from enrolment_service.domain.errors import CohortFull, InvalidValue, NotEligibleForCohort, UnknownSector
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

    assert cohort.add_member(first, AT) == [
        CohortMemberAdded(cohort_id=COHORT_ID, beneficiary_id=UUID(int=1), occurred_at=AT)
    ]
    assert first.cohort_id == COHORT_ID
    assert cohort.add_member(first, AT) == []
    assert cohort.add_member(second, AT) == [
        CohortMemberAdded(cohort_id=COHORT_ID, beneficiary_id=UUID(int=2), occurred_at=AT)
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
