"""Step 4 starts once training reports step 3's hours done, or on the programme operator's waiver with a
reason; never before the cohort's step-4 start date (issue 12, item 5)."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.errors import InvalidValue, StepNotReady
from enrolment_service.domain.pathway import FrenchCourseCompletion, HoursWaiver, Pathway
from enrolment_service.domain.vocabulary import PathwayStatus

PathwayIn = Callable[..., Pathway]
COURSE = UUID("00000000-0000-4000-8000-0000000000f3")
DAY = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)


def completion(attended: str = "400", planned: str = "400", waived: bool = False) -> FrenchCourseCompletion:
    return FrenchCourseCompletion(
        course_id=COURSE, planned_hours=Decimal(planned), attended_hours=Decimal(attended), hours_waived=waived, at=DAY
    )


def test_step_4_is_refused_until_training_reports_step_3_hours_done(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    with pytest.raises(StepNotReady) as refused:
        pathway.start_trade_qualification(akto, DAY)
    assert refused.value.unmet == ("step_3_hours_not_done",)
    assert pathway.status is PathwayStatus.FRENCH_QUALIFICATION


def test_step_4_starts_once_the_french_course_is_completed(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    pathway.note_french_course_completed(completion())
    pathway.start_trade_qualification(akto, DAY)
    assert pathway.status is PathwayStatus.TRADE_QUALIFICATION
    assert pathway.history[-1].reason_code is None


def test_a_completion_short_of_its_hours_counts_only_when_training_waived_them(
    pathway_in: PathwayIn, akto: Actor
) -> None:
    short = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    short.note_french_course_completed(completion(attended="15.5"))
    with pytest.raises(StepNotReady):
        short.start_trade_qualification(akto, DAY)

    waived = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    waived.note_french_course_completed(completion(attended="15.5", waived=True))
    waived.start_trade_qualification(akto, DAY)
    assert waived.status is PathwayStatus.TRADE_QUALIFICATION


def test_a_waiver_with_a_reason_lets_step_4_start_and_stays_in_the_history(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    pathway.start_trade_qualification(akto, DAY, waiver=HoursWaiver("  B1 already attested by DELF  "))
    assert pathway.status is PathwayStatus.TRADE_QUALIFICATION
    assert pathway.history[-1].reason_code == "step_3_hours_waived"
    assert pathway.history[-1].waiver_reason == "B1 already attested by DELF"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_a_waiver_needs_a_reason_of_at_most_200_characters(reason: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        HoursWaiver(reason)
    assert refused.value.field == "hours_waiver_reason"


def test_step_4_never_starts_before_the_cohort_step_4_start_date(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    pathway.note_french_course_completed(completion())
    with pytest.raises(StepNotReady) as refused:
        pathway.start_trade_qualification(akto, DAY, starts_on=date(2025, 9, 16))
    assert refused.value.unmet == ("before_cohort_step_4_start",)
    assert refused.value.details()["step_4_starts_on"] == "2025-09-16"

    pathway.start_trade_qualification(akto, DAY, starts_on=date(2025, 9, 15))
    assert pathway.status is PathwayStatus.TRADE_QUALIFICATION


def test_a_waiver_does_not_move_the_cohort_calendar_and_both_refusals_come_together(
    pathway_in: PathwayIn, akto: Actor
) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    with pytest.raises(StepNotReady) as refused:
        pathway.start_trade_qualification(akto, DAY, starts_on=date(2025, 10, 1))
    assert refused.value.unmet == ("step_3_hours_not_done", "before_cohort_step_4_start")
    with pytest.raises(StepNotReady) as still:
        pathway.start_trade_qualification(akto, DAY, starts_on=date(2025, 10, 1), waiver=HoursWaiver("prior B1"))
    assert still.value.unmet == ("before_cohort_step_4_start",)
