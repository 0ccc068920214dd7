"""The pieces of the outcome-to-completion section that need no server: when each outcome is sent, which Kafka
record is a person's completion, how long each person waited, and whether enrolment completes paths at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hope_contracts import employment, enrolment
from hopekit.events.subscriptions import ConsumerSpec


def send_offsets(rate: float, duration_s: float) -> list[float]:
    """Open loop: the n-th request is due n / rate seconds after the start, whatever the answers before it."""
    if rate <= 0 or duration_s <= 0:
        raise ValueError("rate and duration must be positive")
    return [n / rate for n in range(round(rate * duration_s))]


# The two events each person's wait passes: employment's (halfway) and enrolment's (the end).
OUTCOME_RECORDED = employment.OutcomeRecorded.event_type
COMPLETED = enrolment.PathwayCompleted.event_type


def person_of(headers: Sequence[tuple[str, bytes]], event_type: str) -> str | None:
    """The person (CloudEvents subject) of a record of that type, or None for any other record."""
    found = dict(headers)
    if found.get("ce_type") != event_type.encode():
        return None
    subject = found.get("ce_subject")
    return subject.decode() if subject else None


def enrolment_completes_on_outcomes(consumers: Iterable[ConsumerSpec]) -> bool:
    """Whether enrolment subscribes to employment's outcome.recorded (the consumer of PLAN.md §5)."""
    wanted = employment.OutcomeRecorded.event_type
    return any(wanted in consumer.handlers for consumer in consumers)


@dataclass
class CompletionClock:
    """Per person: the moment the outcome was due to be sent (so a slow answer or a late send is counted, not
    hidden) and the moment enrolment's `completed` was read. A second completion of a person is noted apart:
    the path must complete once."""

    sent: dict[str, float] = field(default_factory=dict)
    recorded: dict[str, float] = field(default_factory=dict)
    completed: dict[str, float] = field(default_factory=dict)
    repeated: int = 0

    def note_sent(self, person: str, due_at: float) -> None:
        self.sent[person] = due_at

    def note_read(self, headers: Sequence[tuple[str, bytes]], at: float) -> None:
        """A record read on employment's or enrolment's topic: the first outcome.recorded and completed count."""
        person = person_of(headers, OUTCOME_RECORDED)
        if person is not None:
            self.recorded.setdefault(person, at)
        person = person_of(headers, COMPLETED)
        if person is not None:
            if person in self.completed:
                self.repeated += 1
            else:
                self.completed[person] = at

    def waiting(self) -> set[str]:
        return set(self.sent) - set(self.completed)

    def latencies_s(self, until: str = COMPLETED) -> list[float]:
        """Seconds from due-to-send to the event read (completed by default), for the people sent in this run."""
        read = self.completed if until == COMPLETED else self.recorded
        return [read[p] - self.sent[p] for p in self.sent if p in read]
