"""What each step change records and emits, and what it requires."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.errors import (
    InvalidValue,
    PrerequisitesNotMet,
    SectorFixedByCohort,
    UnknownSector,
)
from enrolment_service.domain.events import (
    PathwayCompleted,
    PrerequisitesValidated,
    SectorChosen,
    StepCompleted,
    StepStarted,
)
from enrolment_service.domain.pathway import FrenchCourseCompletion, Pathway, PrerequisitesRecord, Transition
from enrolment_service.domain.vocabulary import HoldReason, LanguageTest, PathwayStatus, Step, Track, WithdrawalReason

PathwayIn = Callable[..., Pathway]
Record = Callable[..., PrerequisitesRecord]
BENEFICIARY_ID = UUID("00000000-0000-4000-8000-000000000001")
COHORT_ID = UUID("00000000-0000-4000-8000-0000000000c1")
LATER = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)


def test_start_prerequisites_starts_step_1(pathway_in: PathwayIn, ofii: Actor) -> None:
    pathway = pathway_in(PathwayStatus.REGISTERED)
    events = pathway.start_prerequisites(ofii, LATER)
    assert events == [
        StepStarted(
            beneficiary_id=BENEFICIARY_ID,
            step=Step.PREREQUISITES,
            track=Track.GROUP,
            cohort_id=None,
            sector_code=None,
            occurred_at=LATER,
        )
    ]


@pytest.mark.parametrize("status", [PathwayStatus.REGISTERED, PathwayStatus.PREREQUISITES])
def test_validating_prerequisites_closes_step_1_and_opens_step_2(
    status: PathwayStatus, pathway_in: PathwayIn, ofii: Actor, record: Record
) -> None:
    pathway = pathway_in(status)
    validated = record("412.5", date(2025, 3, 28))
    events = pathway.validate_prerequisites(validated, ofii, LATER)
    assert pathway.status is PathwayStatus.PRE_ORIENTATION
    assert pathway.prerequisites == validated
    assert events == [
        PrerequisitesValidated(
            beneficiary_id=BENEFICIARY_ID,
            ofii_hours=Decimal("412.50"),
            a1_attested_on=date(2025, 3, 28),
            test=LanguageTest.TCF,
            occurred_at=LATER,
        ),
        StepCompleted(beneficiary_id=BENEFICIARY_ID, step=Step.PREREQUISITES, occurred_at=LATER),
        StepStarted(
            beneficiary_id=BENEFICIARY_ID,
            step=Step.PRE_ORIENTATION,
            track=Track.GROUP,
            cohort_id=None,
            sector_code=None,
            occurred_at=LATER,
        ),
    ]


def test_attestation_dated_after_the_validation_is_refused(pathway_in: PathwayIn, ofii: Actor, record: Record) -> None:
    pathway = pathway_in(PathwayStatus.PREREQUISITES)
    with pytest.raises(InvalidValue) as refused:
        pathway.validate_prerequisites(record(attested_on=date(2025, 4, 2)), ofii, LATER)
    assert refused.value.field == "attestation.attested_on"
    assert pathway.status is PathwayStatus.PREREQUISITES
    assert pathway.prerequisites is None


def test_attestation_dated_the_same_day_is_accepted(pathway_in: PathwayIn, ofii: Actor, record: Record) -> None:
    pathway = pathway_in(PathwayStatus.PREREQUISITES)
    pathway.validate_prerequisites(record(attested_on=date(2025, 4, 1)), ofii, LATER)
    assert pathway.status is PathwayStatus.PRE_ORIENTATION


def test_choosing_a_sector(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.PREREQUISITES)
    assert pathway.choose_sector("logistics", akto, LATER) == [
        SectorChosen(beneficiary_id=BENEFICIARY_ID, sector_code="logistics", occurred_at=LATER)
    ]
    assert pathway.choose_sector("logistics", akto, LATER) == []
    assert pathway.choose_sector("care", akto, LATER) == [
        SectorChosen(beneficiary_id=BENEFICIARY_ID, sector_code="care", occurred_at=LATER)
    ]
    assert pathway.sector_code == "care"
    assert pathway.status is PathwayStatus.PREREQUISITES


def test_unknown_sector_is_refused(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.REGISTERED)
    with pytest.raises(UnknownSector) as refused:
        pathway.choose_sector("astronaut", akto, LATER)
    assert refused.value.sector_code == "astronaut"
    assert pathway.sector_code is None


def test_sector_cannot_change_once_in_a_cohort(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.PRE_ORIENTATION)
    with pytest.raises(SectorFixedByCohort) as refused:
        pathway.choose_sector("retail", akto, LATER)
    assert (refused.value.cohort_id, refused.value.sector_code) == (COHORT_ID, "construction")
    assert pathway.sector_code == "construction"


def test_french_qualification_needs_a_sector(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.PRE_ORIENTATION)
    pathway.sector_code = None
    with pytest.raises(PrerequisitesNotMet, match="sector"):
        pathway.start_french_qualification(akto, LATER)
    assert pathway.status is PathwayStatus.PRE_ORIENTATION


def test_french_qualification_on_the_group_track_needs_a_cohort(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.PRE_ORIENTATION)
    pathway.cohort_id = None
    with pytest.raises(PrerequisitesNotMet, match="cohort"):
        pathway.start_french_qualification(akto, LATER)
    assert pathway.status is PathwayStatus.PRE_ORIENTATION


def test_french_qualification_on_the_individual_track_needs_no_cohort(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.PRE_ORIENTATION, Track.INDIVIDUAL)
    assert pathway.cohort_id is None
    events = pathway.start_french_qualification(akto, LATER)
    assert events == [
        StepCompleted(beneficiary_id=BENEFICIARY_ID, step=Step.PRE_ORIENTATION, occurred_at=LATER),
        StepStarted(
            beneficiary_id=BENEFICIARY_ID,
            step=Step.FRENCH_QUALIFICATION,
            track=Track.INDIVIDUAL,
            cohort_id=None,
            sector_code="construction",
            occurred_at=LATER,
        ),
    ]


def test_french_qualification_on_the_group_track_names_the_cohort(pathway_in: PathwayIn, akto: Actor) -> None:
    events = pathway_in(PathwayStatus.PRE_ORIENTATION).start_french_qualification(akto, LATER)
    assert events[1] == StepStarted(
        beneficiary_id=BENEFICIARY_ID,
        step=Step.FRENCH_QUALIFICATION,
        track=Track.GROUP,
        cohort_id=COHORT_ID,
        sector_code="construction",
        occurred_at=LATER,
    )


def test_trade_qualification_and_completion(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    pathway.note_french_course_completed(
        FrenchCourseCompletion(UUID(int=3), Decimal("400"), Decimal("400"), hours_waived=False, at=LATER)
    )
    assert pathway.start_trade_qualification(akto, LATER) == [
        StepCompleted(beneficiary_id=BENEFICIARY_ID, step=Step.FRENCH_QUALIFICATION, occurred_at=LATER),
        StepStarted(
            beneficiary_id=BENEFICIARY_ID,
            step=Step.TRADE_QUALIFICATION,
            track=Track.GROUP,
            cohort_id=COHORT_ID,
            sector_code="construction",
            occurred_at=LATER,
        ),
    ]
    assert pathway.complete(akto, LATER) == [
        StepCompleted(beneficiary_id=BENEFICIARY_ID, step=Step.TRADE_QUALIFICATION, occurred_at=LATER),
        PathwayCompleted(beneficiary_id=BENEFICIARY_ID, occurred_at=LATER),
    ]
    assert pathway.status is PathwayStatus.COMPLETED


def test_history_keeps_who_when_and_why(ofii: Actor, akto: Actor) -> None:
    t0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    pathway = Pathway.begin(BENEFICIARY_ID, Track.INDIVIDUAL, ofii, t0)
    pathway.start_prerequisites(ofii, t0 + timedelta(days=1))
    pathway.put_on_hold(HoldReason.HEALTH, akto, t0 + timedelta(days=20))
    pathway.resume(akto, t0 + timedelta(days=40))
    pathway.withdraw(WithdrawalReason.EMPLOYMENT_FOUND, akto, t0 + timedelta(days=50))

    assert pathway.history == [
        Transition(None, PathwayStatus.REGISTERED, t0, "ofii-agent-7", ofii.org_id, None),
        Transition(
            PathwayStatus.REGISTERED,
            PathwayStatus.PREREQUISITES,
            t0 + timedelta(days=1),
            "ofii-agent-7",
            ofii.org_id,
            None,
        ),
        Transition(
            PathwayStatus.PREREQUISITES,
            PathwayStatus.ON_HOLD,
            t0 + timedelta(days=20),
            "akto-coordinator-2",
            akto.org_id,
            "health",
        ),
        Transition(
            PathwayStatus.ON_HOLD,
            PathwayStatus.PREREQUISITES,
            t0 + timedelta(days=40),
            "akto-coordinator-2",
            akto.org_id,
            None,
        ),
        Transition(
            PathwayStatus.PREREQUISITES,
            PathwayStatus.WITHDRAWN,
            t0 + timedelta(days=50),
            "akto-coordinator-2",
            akto.org_id,
            "employment_found",
        ),
    ]


def test_instants_are_kept_in_utc(pathway_in: PathwayIn, ofii: Actor) -> None:
    pathway = pathway_in(PathwayStatus.REGISTERED)
    paris = timezone(timedelta(hours=1))
    events = pathway.start_prerequisites(ofii, datetime(2025, 3, 10, 10, 30, tzinfo=paris))
    assert pathway.history[-1].at == datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
    assert pathway.history[-1].at.tzinfo is UTC
    assert events[0].occurred_at == datetime(2025, 3, 10, 9, 30, tzinfo=UTC)


def test_naive_instants_are_refused(pathway_in: PathwayIn, ofii: Actor) -> None:
    pathway = pathway_in(PathwayStatus.REGISTERED)
    with pytest.raises(InvalidValue) as refused:
        pathway.start_prerequisites(ofii, datetime(2025, 3, 10, 10, 30))
    assert refused.value.field == "at"
    assert pathway.status is PathwayStatus.REGISTERED
    assert len(pathway.history) == 1
