"""The outcome-to-completion section's own logic: pacing, matching enrolment's records, and each person's wait."""

import uuid

import pytest
from benchmarks.completion_clock import CompletionClock, completed_person, enrolment_completes_on_outcomes, send_offsets

from hope_contracts import employment, enrolment, training
from hopekit.events.subscriptions import ConsumerSpec, on


async def _nothing(uow: object, event: object) -> None:
    return None


def test_requests_are_due_at_a_fixed_pace_whatever_the_answers() -> None:
    offsets = send_offsets(20, 60)
    assert len(offsets) == 1_200
    assert offsets[:3] == [0.0, 0.05, 0.1]
    assert offsets[-1] == pytest.approx(59.95)
    with pytest.raises(ValueError):
        send_offsets(0, 60)


def test_only_enrolments_completed_event_names_a_person() -> None:
    person = str(uuid.uuid4())
    completed = [("ce_type", enrolment.PathwayCompleted.event_type.encode()), ("ce_subject", person.encode())]
    withdrawn = [("ce_type", enrolment.BeneficiaryWithdrawn.event_type.encode()), ("ce_subject", person.encode())]
    assert completed_person(completed) == person
    assert completed_person(withdrawn) is None
    assert completed_person([("ce_type", enrolment.PathwayCompleted.event_type.encode())]) is None


def test_each_person_waits_from_the_moment_their_outcome_was_due_and_a_second_completion_is_counted_apart() -> None:
    clock = CompletionClock()
    clock.note_sent("a", 10.0)
    clock.note_sent("b", 10.05)
    clock.note_sent("c", 10.10)
    clock.note_completed("a", 10.2)
    clock.note_completed("b", 10.45)
    clock.note_completed("b", 11.0)  # the path completed twice: a defect the report shows
    clock.note_completed("someone from before", 10.3)  # not sent in this run: no latency
    assert sorted(clock.latencies_s()) == pytest.approx([0.2, 0.4])
    assert clock.repeated == 1
    assert clock.waiting() == {"c"}


def test_the_section_knows_whether_enrolment_completes_paths_on_outcomes() -> None:
    without = [ConsumerSpec(name="training-progress", subscriptions=[on(training.CourseCompleted, _nothing)])]
    with_it = [
        *without,
        ConsumerSpec(name="path-closure", subscriptions=[on(employment.OutcomeRecorded, _nothing)]),
    ]
    assert not enrolment_completes_on_outcomes(without)
    assert enrolment_completes_on_outcomes(with_it)
