"""Consumption: what the ledger holds per (person, session, line) is what the latest attendance sheet says.

A sheet is resent whole when it is corrected. Each time, the person's funded hours are worked out again
from all their current marks, priced with the plan, split between the lines, and compared with what was
already posted: only the difference is posted. A duplicate sheet therefore posts nothing, and a correction
posts exactly what changed (including in later sessions whose excused hours the correction moved in or out
of the excused allowance).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from funding_service.domain.budget_line import AttendancePolicy
from funding_service.domain.errors import InvalidValue
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import AttendanceStatus

_HUNDREDTH = Decimal("0.01")


def _hours(value: Decimal, field: str) -> Decimal:
    if not value.is_finite() or value < 0 or value != value.quantize(_HUNDREDTH):
        raise InvalidValue(field, "must be hours, not negative, with at most two decimals")
    return value.quantize(_HUNDREDTH)


@dataclass(frozen=True)
class SessionMark:
    """One person's line on a session sheet; the status qualifies the hours the person missed."""

    session_id: UUID
    held_on: date
    status: AttendanceStatus
    hours_attended: Decimal
    session_hours: Decimal

    def __post_init__(self) -> None:
        attended = _hours(self.hours_attended, "hours_attended")
        session = _hours(self.session_hours, "session_hours")
        if attended > session:
            raise InvalidValue("hours_attended", "cannot exceed the session's hours")
        object.__setattr__(self, "hours_attended", attended)
        object.__setattr__(self, "session_hours", session)

    @property
    def excused(self) -> Decimal:
        return self.session_hours - self.hours_attended if self.status is AttendanceStatus.EXCUSED else ZERO

    @property
    def unexcused(self) -> Decimal:
        return self.session_hours - self.hours_attended if self.status is not AttendanceStatus.EXCUSED else ZERO


@dataclass(frozen=True)
class ConsumptionDelta:
    """A change to post for one person on one line: positive consumes more, negative gives back."""

    beneficiary_id: UUID
    budget_line_id: UUID
    reference_id: UUID  # the session (or the support event) the amount is for
    amount: Decimal
    quantity: Decimal  # the funded quantity (hours, nights, meals) the line now pays for that reference


Key = tuple[UUID, UUID]  # (reference id, budget line id)
Target = tuple[Decimal, Decimal]  # (funded quantity, amount)


@dataclass
class PostedAmounts:
    """What the ledger already holds per (reference, line) for one person, with the quantity it pays for,
    and the differences to reach a target."""

    beneficiary_id: UUID
    posted: dict[Key, Decimal] = field(default_factory=dict)
    quantities: dict[Key, Decimal] = field(default_factory=dict)
    # The lines each reference has rows for, so settling one session never scans the person's whole history.
    _lines: dict[UUID, set[UUID]] = field(init=False, repr=False, compare=False)
    # What was held when loaded, so that only what changed is written back.
    _loaded: dict[Key, Target] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._lines = {}
        for reference_id, line_id in self.posted.keys() | self.quantities.keys():
            self._lines.setdefault(reference_id, set()).add(line_id)
        self._loaded = {key: (self.quantities.get(key, ZERO), amount) for key, amount in self.posted.items()}

    def changed(self) -> list[Key]:
        """The (reference, line) pairs held now whose quantity or amount differs from what was loaded."""
        return [
            key
            for key, amount in self.posted.items()
            if self._loaded.get(key) != (self.quantities.get(key, ZERO), amount)
        ]

    def removed(self) -> list[Key]:
        """The (reference, line) pairs loaded and held no more."""
        return [key for key in self._loaded if key not in self.posted]

    def settle(self, targets: Mapping[Key, Target], within: Iterable[UUID]) -> list[ConsumptionDelta]:
        """Reach ``targets`` for the references in ``within``; a (reference, line) absent from targets goes to 0."""
        keys = {(ref, line) for ref in set(within) for line in self._lines.get(ref, ())} | set(targets)
        deltas = []
        for key in sorted(keys):
            quantity, target = targets.get(key, (ZERO, ZERO))
            difference = target - self.posted.get(key, ZERO)
            if difference:
                deltas.append(ConsumptionDelta(self.beneficiary_id, key[1], key[0], difference, quantity))
            if quantity or target:
                self.posted[key], self.quantities[key] = target, quantity
                self._lines.setdefault(key[0], set()).add(key[1])
            else:
                self.posted.pop(key, None)
                self.quantities.pop(key, None)
                self._lines.get(key[0], set()).discard(key[1])
        return deltas


@dataclass
class PersonHours:
    """One person's marks on one step's course, and the consumption posted for them.

    ``complete`` says every mark of the person on the course is loaded. Most sheets need only the mark of
    their own session (see ``needs_every_mark``), which keeps a sheet of 100 people cheap to apply.
    """

    beneficiary_id: UUID
    planned_hours: Decimal
    marks: dict[UUID, SessionMark] = field(default_factory=dict)
    complete: bool = True
    amounts: PostedAmounts = field(init=False)

    def __post_init__(self) -> None:
        self.planned_hours = _hours(self.planned_hours, "planned_hours")
        self.amounts = PostedAmounts(self.beneficiary_id)

    def funded_hours(self, policy: AttendancePolicy) -> dict[UUID, Decimal]:
        """Per session, the hours a line with this policy pays: present hours, and excused hours in date
        order until the person's excused allowance is spent."""
        allowance = policy.excused_allowance(self.planned_hours)
        funded = {}
        for mark in sorted(self.marks.values(), key=lambda m: (m.held_on, m.session_id)):
            excused = min(mark.excused, allowance)
            allowance -= excused
            funded[mark.session_id] = mark.hours_attended + excused
        return funded

    def needs_every_mark(
        self, session_id: UUID, mark: SessionMark | None, policies: Mapping[UUID, AttendancePolicy]
    ) -> bool:
        """Whether this mark can change what other sessions are paid: only when its excused hours change and
        a line funds excused hours (the allowance they use is shared, in date order, by all sessions)."""
        old = self.marks.get(session_id)
        before = old.excused if old is not None else ZERO
        after = mark.excused if mark is not None else ZERO
        return before != after and any(policy.excused_share for policy in policies.values())

    def record(
        self,
        mark: SessionMark | None,
        session_id: UUID,
        plan: FinancingPlan,
        policies: Mapping[UUID, AttendancePolicy],
        priced: dict[Decimal, dict[UUID, Decimal]] | None = None,
    ) -> list[ConsumptionDelta]:
        """Take the person's mark on a session as the latest sheet gives it (None: no longer on the sheet).
        ``priced``: the plan's parts per number of hours, shared by the people of one sheet (they attend a
        handful of different hours, and pricing them is a split per line)."""
        if mark is not None and mark.session_id != session_id:
            raise InvalidValue("session_id", "the mark is for another session")
        plan_policies = {line_id: policies.get(line_id, AttendancePolicy()) for line_id in plan.shares}
        every_session = self.needs_every_mark(session_id, mark, plan_policies)
        if every_session and not self.complete:
            raise InvalidValue("marks", "this change moves the excused allowance: load every mark of the person")
        old = self.marks.pop(session_id, None)
        if mark is not None:
            self.marks[session_id] = mark
        if every_session:
            return self.amounts.settle(self._targets(plan, plan_policies), [session_id, *self.marks])
        # Only this session changes, and the excused hours it was paid stay what they were.
        targets: dict[Key, Target] = {}
        if mark is not None:
            attended_before = old.hours_attended if old is not None else ZERO
            priced = {} if priced is None else priced
            for line_id in plan.shares:
                excused_paid = self.amounts.quantities.get((session_id, line_id), attended_before) - attended_before
                hours = mark.hours_attended + excused_paid
                if hours not in priced:
                    priced[hours] = plan.parts_for(hours)
                targets[(session_id, line_id)] = (hours, priced[hours][line_id])
        return self.amounts.settle(targets, [session_id])

    def _targets(self, plan: FinancingPlan, policies: Mapping[UUID, AttendancePolicy]) -> dict[Key, Target]:
        targets: dict[Key, Target] = {}
        by_policy: dict[AttendancePolicy, dict[UUID, Decimal]] = {}
        for line_id, policy in policies.items():
            if policy not in by_policy:
                by_policy[policy] = self.funded_hours(policy)
            for session_id, hours in by_policy[policy].items():
                if hours:
                    targets[(session_id, line_id)] = (hours, plan.parts_for(hours)[line_id])
        return targets

    def totals(self) -> tuple[Decimal, Decimal, Decimal]:
        """Hours present, excused and unexcused over every current mark."""
        marks = self.marks.values()
        return (
            sum((m.hours_attended for m in marks), ZERO),
            sum((m.excused for m in marks), ZERO),
            sum((m.unexcused for m in marks), ZERO),
        )


def apply_sheet(
    session_id: UUID,
    marks: Mapping[UUID, SessionMark],
    people: Mapping[UUID, PersonHours],
    plan: FinancingPlan,
    policies: Mapping[UUID, AttendancePolicy],
) -> list[ConsumptionDelta]:
    """The differences one session sheet brings: ``marks`` per person on the new sheet, ``people`` holding
    everyone on it and everyone the previous version of it named (who, if now absent, gives back)."""
    missing = set(marks) - set(people)
    if missing:
        raise InvalidValue("marks", "every person on the sheet needs their hours loaded")
    deltas: list[ConsumptionDelta] = []
    priced: dict[Decimal, dict[UUID, Decimal]] = {}
    for beneficiary_id in sorted(people):
        person = people[beneficiary_id]
        if beneficiary_id in marks or session_id in person.marks:
            deltas += person.record(marks.get(beneficiary_id), session_id, plan, policies, priced)
    return deltas
