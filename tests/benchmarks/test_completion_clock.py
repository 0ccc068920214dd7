"""The outcome-to-completion section's own logic: pacing, matching enrolment's records, and each person's wait."""

import uuid

import pytest
from benchmarks.completion_clock import (
    OUTCOME_RECORDED,
    CompletionClock,
    enrolment_completes_on_outcomes,
    person_of,
    send_offsets,
)

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


def _record(event_type: str, person: str) -> list[tuple[str, bytes]]:
    return [("ce_type", event_type.encode()), ("ce_subject", person.encode())]


def test_a_record_names_its_person_only_for_the_type_asked() -> None:
    person = str(uuid.uuid4())
    completed = _record(enrolment.PathwayCompleted.event_type, person)
    assert person_of(completed, enrolment.PathwayCompleted.event_type) == person
    assert person_of(completed, OUTCOME_RECORDED) is None
    assert person_of(_record(enrolment.BeneficiaryWithdrawn.event_type, person), OUTCOME_RECORDED) is None
    assert person_of([("ce_type", OUTCOME_RECORDED.encode())], OUTCOME_RECORDED) is None


def test_each_person_waits_from_the_moment_their_outcome_was_due_and_a_second_completion_is_counted_apart() -> None:
    clock = CompletionClock()
    clock.note_sent("a", 10.0)
    clock.note_sent("b", 10.05)
    clock.note_sent("c", 10.10)
    clock.note_read(_record(OUTCOME_RECORDED, "a"), 10.1)
    clock.note_read(_record(OUTCOME_RECORDED, "a"), 10.15)  # a resend: the first read counts
    clock.note_read(_record(enrolment.PathwayCompleted.event_type, "a"), 10.2)
    clock.note_read(_record(enrolment.PathwayCompleted.event_type, "b"), 10.45)
    clock.note_read(_record(enrolment.PathwayCompleted.event_type, "b"), 11.0)  # completed twice: a defect shown
    clock.note_read(_record(enrolment.PathwayCompleted.event_type, "before"), 10.3)  # not sent in this run
    clock.note_read(_record(enrolment.BeneficiaryWithdrawn.event_type, "c"), 10.3)
    assert sorted(clock.latencies_s()) == pytest.approx([0.2, 0.4])
    assert clock.latencies_s(OUTCOME_RECORDED) == pytest.approx([0.1])
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
