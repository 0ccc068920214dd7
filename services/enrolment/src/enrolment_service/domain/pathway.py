"""The pathway of one beneficiary through the four steps, with every transition kept."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.errors import (
    IllegalTransition,
    InvalidValue,
    PrerequisitesNotMet,
    SectorFixedByCohort,
    StepNotReady,
)
from enrolment_service.domain.events import (
    BeneficiaryWithdrawn,
    DomainEvent,
    PathwayCompleted,
    PathwayPutOnHold,
    PathwayResumed,
    PrerequisitesValidated,
    SectorChosen,
    StepCompleted,
    StepStarted,
)
from enrolment_service.domain.instants import as_utc
from enrolment_service.domain.vocabulary import (
    ACTIVE_STATUSES,
    HoldReason,
    LanguageTest,
    PathwayAction,
    PathwayStatus,
    Step,
    Track,
    WithdrawalReason,
    sector,
)

MIN_OFII_HOURS = Decimal("200")
MAX_OFII_HOURS = Decimal("600")
_HUNDREDTH = Decimal("0.01")
MAX_WAIVER_REASON = 200
STEP_3_HOURS_WAIVED = "step_3_hours_waived"
# The history's reason when the path completes on its own: step 4's qualification result and the exit outcome in.
RESULTS_IN = "qualification_and_outcome_in"

_ALLOWED_FROM: Mapping[PathwayAction, frozenset[PathwayStatus]] = MappingProxyType(
    {
        PathwayAction.START_PREREQUISITES: frozenset({PathwayStatus.REGISTERED}),
        PathwayAction.VALIDATE_PREREQUISITES: frozenset({PathwayStatus.REGISTERED, PathwayStatus.PREREQUISITES}),
        PathwayAction.CHOOSE_SECTOR: frozenset(
            {PathwayStatus.REGISTERED, PathwayStatus.PREREQUISITES, PathwayStatus.PRE_ORIENTATION}
        ),
        PathwayAction.START_FRENCH_QUALIFICATION: frozenset({PathwayStatus.PRE_ORIENTATION}),
        PathwayAction.START_TRADE_QUALIFICATION: frozenset({PathwayStatus.FRENCH_QUALIFICATION}),
        PathwayAction.COMPLETE: frozenset({PathwayStatus.TRADE_QUALIFICATION}),
        PathwayAction.PUT_ON_HOLD: ACTIVE_STATUSES,
        PathwayAction.RESUME: frozenset({PathwayStatus.ON_HOLD}),
        PathwayAction.WITHDRAW: ACTIVE_STATUSES | {PathwayStatus.ON_HOLD},
    }
)


@dataclass(frozen=True)
class Transition:
    """One change of status: who, when and why (a reason code from a closed list).

    `from_status` is None only for the first entry, the registration. `waiver_reason` is the programme
    operator's justification when step 4 starts without step 3's hours: kept here, never published.
    """

    from_status: PathwayStatus | None
    to_status: PathwayStatus
    at: datetime
    actor: str
    actor_org_id: UUID
    reason_code: str | None = None
    waiver_reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", as_utc(self.at))


@dataclass(frozen=True)
class A1Attestation:
    attested_on: date
    test: LanguageTest
    evidence_reference: str  # the certificate's number or the document's reference, not a comment

    def __post_init__(self) -> None:
        if not self.evidence_reference.strip() or len(self.evidence_reference) > 100:
            raise InvalidValue("attestation.evidence_reference", "must be 1 to 100 characters")


@dataclass(frozen=True)
class PrerequisitesRecord:
    """Step 1 as OFII reports it: French hours followed and the A1 attestation."""

    ofii_hours: Decimal
    attestation: A1Attestation

    def __post_init__(self) -> None:
        hours = self.ofii_hours
        if not hours.is_finite() or hours != hours.quantize(_HUNDREDTH):
            raise InvalidValue("ofii_hours", "must be a number of hours with at most two decimals")
        if not MIN_OFII_HOURS <= hours <= MAX_OFII_HOURS:
            raise InvalidValue("ofii_hours", f"must be between {MIN_OFII_HOURS} and {MAX_OFII_HOURS} hours")
        object.__setattr__(self, "ofii_hours", hours.quantize(_HUNDREDTH))


@dataclass(frozen=True)
class FrenchCourseCompletion:
    """Training's word that the person finished their step-3 course (training's ``course-completed``)."""

    course_id: UUID
    planned_hours: Decimal
    attended_hours: Decimal
    hours_waived: bool  # training's own waiver, decided and justified there
    at: datetime

    @property
    def hours_done(self) -> bool:
        return self.hours_waived or self.attended_hours >= self.planned_hours


@dataclass(frozen=True)
class HoursWaiver:
    """The programme operator lets step 4 start without step 3's hours, and says why."""

    reason: str

    def __post_init__(self) -> None:
        reason = " ".join(self.reason.split())
        if not reason or len(reason) > MAX_WAIVER_REASON:
            raise InvalidValue("hours_waiver_reason", f"must be 1 to {MAX_WAIVER_REASON} characters")
        object.__setattr__(self, "reason", reason)


@dataclass
class Pathway:
    beneficiary_id: UUID
    track: Track
    status: PathwayStatus = PathwayStatus.REGISTERED
    history: list[Transition] = field(default_factory=list)
    prerequisites: PrerequisitesRecord | None = None
    sector_code: str | None = None
    cohort_id: UUID | None = None
    # The day the person joined the cohort (their own, when they join after it started); None before it was kept.
    cohort_joined_on: date | None = None
    status_before_hold: PathwayStatus | None = None
    # When training reported step 3's hours done (its course-completed event), and for which course.
    french_hours_done_at: datetime | None = None
    french_course_id: UUID | None = None

    def reached_on(self, status: PathwayStatus) -> date | None:
        """The day the path last entered ``status``, from its history (UTC)."""
        entered = [entry.at for entry in self.history if entry.to_status is status]
        return as_utc(entered[-1]).date() if entered else None

    @classmethod
    def begin(cls, beneficiary_id: UUID, track: Track, actor: Actor, at: datetime) -> "Pathway":
        entry = Transition(None, PathwayStatus.REGISTERED, at, actor.subject, actor.org_id)
        return cls(beneficiary_id=beneficiary_id, track=track, history=[entry])

    @property
    def current_step(self) -> Step | None:
        """The step the person is in or, while on hold, the step they will resume."""
        if self.status is PathwayStatus.ON_HOLD and self.status_before_hold is not None:
            return Step.of(self.status_before_hold)
        return Step.of(self.status)

    def allowed_actions(self) -> tuple[PathwayAction, ...]:
        return tuple(action for action in PathwayAction if self.status in _ALLOWED_FROM[action])

    def start_prerequisites(self, actor: Actor, at: datetime) -> list[DomainEvent]:
        self._require(PathwayAction.START_PREREQUISITES)
        at = self._move(PathwayStatus.PREREQUISITES, actor, at)
        return [self._step_started(Step.PREREQUISITES, at)]

    def validate_prerequisites(self, record: PrerequisitesRecord, actor: Actor, at: datetime) -> list[DomainEvent]:
        self._require(PathwayAction.VALIDATE_PREREQUISITES)
        if record.attestation.attested_on > as_utc(at).date():
            raise InvalidValue("attestation.attested_on", "cannot be in the future")
        self.prerequisites = record
        at = self._move(PathwayStatus.PRE_ORIENTATION, actor, at)
        validated = PrerequisitesValidated(
            beneficiary_id=self.beneficiary_id,
            ofii_hours=record.ofii_hours,
            a1_attested_on=record.attestation.attested_on,
            test=record.attestation.test,
            occurred_at=at,
        )
        return [
            validated,
            self._step_completed(Step.PREREQUISITES, at),
            self._step_started(Step.PRE_ORIENTATION, at),
        ]

    def choose_sector(self, code: str, actor: Actor, at: datetime) -> list[DomainEvent]:
        self._require(PathwayAction.CHOOSE_SECTOR)
        chosen = sector(code)
        if chosen.code == self.sector_code:
            return []
        if self.cohort_id is not None and self.sector_code is not None:
            raise SectorFixedByCohort(self.cohort_id, self.sector_code)
        self.sector_code = chosen.code
        return [SectorChosen(beneficiary_id=self.beneficiary_id, sector_code=chosen.code, occurred_at=as_utc(at))]

    def start_french_qualification(self, actor: Actor, at: datetime) -> list[DomainEvent]:
        self._require(PathwayAction.START_FRENCH_QUALIFICATION)
        if self.sector_code is None:
            raise PrerequisitesNotMet("a sector must be chosen before the French qualification starts")
        if self.track is Track.GROUP and self.cohort_id is None:
            raise PrerequisitesNotMet("on the group track the beneficiary must be in a cohort first")
        at = self._move(PathwayStatus.FRENCH_QUALIFICATION, actor, at)
        return [
            self._step_completed(Step.PRE_ORIENTATION, at),
            self._step_started(Step.FRENCH_QUALIFICATION, at),
        ]

    def note_french_course_completed(self, completion: FrenchCourseCompletion) -> None:
        """Kept whatever the status (events arrive late, or after a hold); the first completion that counts wins."""
        if completion.hours_done and self.french_hours_done_at is None:
            self.french_hours_done_at = as_utc(completion.at)
            self.french_course_id = completion.course_id

    def start_trade_qualification(
        self, actor: Actor, at: datetime, *, starts_on: date | None = None, waiver: HoursWaiver | None = None
    ) -> list[DomainEvent]:
        """Step 4 needs step 3's hours done (or the operator's waiver), and not before ``starts_on``, the
        cohort's step-4 start date if it has one: a waiver is about hours, never about the calendar."""
        self._require(PathwayAction.START_TRADE_QUALIFICATION)
        unmet: list[tuple[str, str]] = []
        if self.french_hours_done_at is None and waiver is None:
            unmet.append(
                (
                    "step_3_hours_not_done",
                    "training has not reported step 3's hours done; the programme operator may waive them, "
                    "with a reason",
                )
            )
        if starts_on is not None and as_utc(at).date() < starts_on:
            unmet.append(("before_cohort_step_4_start", f"the cohort's step 4 starts on {starts_on.isoformat()}"))
        if unmet:
            raise StepNotReady(tuple(code for code, _ in unmet), tuple(why for _, why in unmet), starts_on)
        if waiver is not None and self.french_hours_done_at is None:
            at = self._move(PathwayStatus.TRADE_QUALIFICATION, actor, at, STEP_3_HOURS_WAIVED, waiver.reason)
        else:
            at = self._move(PathwayStatus.TRADE_QUALIFICATION, actor, at)
        return [
            self._step_completed(Step.FRENCH_QUALIFICATION, at),
            self._step_started(Step.TRADE_QUALIFICATION, at),
        ]

    def complete(self, actor: Actor, at: datetime) -> list[DomainEvent]:
        self._require(PathwayAction.COMPLETE)
        at = self._move(PathwayStatus.COMPLETED, actor, at)
        return [
            self._step_completed(Step.TRADE_QUALIFICATION, at),
            PathwayCompleted(beneficiary_id=self.beneficiary_id, occurred_at=at),
        ]

    def complete_on_results(self, actor: Actor, at: datetime) -> list[DomainEvent]:
        """The path completes once step 4's qualification result and the exit outcome are in (domain.closure),
        also while it is on hold in step 4: the person has left with an outcome, the pause no longer matters."""
        if self.status is PathwayStatus.ON_HOLD and self.status_before_hold is PathwayStatus.TRADE_QUALIFICATION:
            self.status_before_hold = None
        else:
            self._require(PathwayAction.COMPLETE)
        # The history stays in order even when the events that complete the path are older than its last change.
        at = self._move(PathwayStatus.COMPLETED, actor, max(as_utc(at), self.history[-1].at), RESULTS_IN)
        return [
            self._step_completed(Step.TRADE_QUALIFICATION, at),
            PathwayCompleted(beneficiary_id=self.beneficiary_id, occurred_at=at),
        ]

    def put_on_hold(self, reason: HoldReason, actor: Actor, at: datetime) -> list[DomainEvent]:
        """The history keeps the real reason; the event carries the published one (health is "personal")."""
        self._require(PathwayAction.PUT_ON_HOLD)
        held = self.status
        at = self._move(PathwayStatus.ON_HOLD, actor, at, reason.value)
        self.status_before_hold = held
        return [
            PathwayPutOnHold(
                beneficiary_id=self.beneficiary_id, from_status=held, reason_code=reason.published, occurred_at=at
            )
        ]

    def resume(self, actor: Actor, at: datetime) -> list[DomainEvent]:
        self._require(PathwayAction.RESUME)
        if self.status_before_hold is None:
            raise IllegalTransition(self.status, PathwayAction.RESUME, (PathwayAction.WITHDRAW,))
        back_to = self.status_before_hold
        at = self._move(back_to, actor, at)
        self.status_before_hold = None
        return [PathwayResumed(beneficiary_id=self.beneficiary_id, to_status=back_to, occurred_at=at)]

    def withdraw(self, reason: WithdrawalReason, actor: Actor, at: datetime) -> list[DomainEvent]:
        self._require(PathwayAction.WITHDRAW)
        left = self.status
        last_step = self.current_step
        at = self._move(PathwayStatus.WITHDRAWN, actor, at, reason.value)
        self.status_before_hold = None
        return [
            BeneficiaryWithdrawn(
                beneficiary_id=self.beneficiary_id,
                reason=reason.published,
                from_status=left,
                last_step=last_step,
                occurred_at=at,
            )
        ]

    def _require(self, action: PathwayAction) -> None:
        if self.status not in _ALLOWED_FROM[action]:
            raise IllegalTransition(self.status, action, self.allowed_actions())

    def _move(
        self,
        to: PathwayStatus,
        actor: Actor,
        at: datetime,
        reason_code: str | None = None,
        waiver_reason: str | None = None,
    ) -> datetime:
        entry = Transition(self.status, to, at, actor.subject, actor.org_id, reason_code, waiver_reason)
        self.history.append(entry)
        self.status = to
        return entry.at

    def _step_started(self, step: Step, at: datetime) -> StepStarted:
        return StepStarted(
            beneficiary_id=self.beneficiary_id,
            step=step,
            track=self.track,
            cohort_id=self.cohort_id,
            sector_code=self.sector_code,
            occurred_at=at,
        )

    def _step_completed(self, step: Step, at: datetime) -> StepCompleted:
        return StepCompleted(beneficiary_id=self.beneficiary_id, step=step, occurred_at=at)
