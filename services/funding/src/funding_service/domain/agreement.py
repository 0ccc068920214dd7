"""A funding agreement (convention): a funder grants budget lines for a period; every status change is kept."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID

from funding_service.domain.actor import Actor
from funding_service.domain.budget_line import BudgetLine
from funding_service.domain.errors import DatesOutOfOrder, IllegalTransition, InvalidValue
from funding_service.domain.instants import as_utc
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import AgreementStatus

_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,63}")

_NEXT: Mapping[AgreementStatus, tuple[AgreementStatus, ...]] = MappingProxyType(
    {
        AgreementStatus.DRAFT: (AgreementStatus.SIGNED,),
        AgreementStatus.SIGNED: (AgreementStatus.ACTIVE,),
        AgreementStatus.ACTIVE: (AgreementStatus.CLOSED,),
        AgreementStatus.CLOSED: (),
    }
)


@dataclass(frozen=True)
class DocumentReference:
    """A document kept elsewhere (the signed convention, an amendment): a kind code and its reference."""

    kind: str
    reference: str

    def __post_init__(self) -> None:
        if not _REFERENCE.fullmatch(self.kind) or not _REFERENCE.fullmatch(self.reference):
            raise InvalidValue("document", "kind and reference are codes of at most 64 characters")


@dataclass(frozen=True)
class AgreementTransition:
    from_status: AgreementStatus | None
    to_status: AgreementStatus
    at: datetime
    actor: str
    actor_org_id: UUID


@dataclass
class FundingAgreement:
    agreement_id: UUID
    funder_id: UUID
    reference: str
    period_start: date
    period_end: date
    status: AgreementStatus = AgreementStatus.DRAFT
    signed_on: date | None = None
    lines: list[BudgetLine] = field(default_factory=list)
    documents: list[DocumentReference] = field(default_factory=list)
    history: list[AgreementTransition] = field(default_factory=list)

    @classmethod
    def draft(
        cls,
        agreement_id: UUID,
        funder_id: UUID,
        reference: str,
        period: tuple[date, date],
        actor: Actor,
        at: datetime,
    ) -> FundingAgreement:
        if not _REFERENCE.fullmatch(reference):
            raise InvalidValue("reference", "must be a code of at most 64 characters")
        start, end = period
        if end < start:
            raise DatesOutOfOrder("period_end", start.isoformat())
        entry = AgreementTransition(None, AgreementStatus.DRAFT, as_utc(at), actor.subject, actor.org_id)
        return cls(agreement_id, funder_id, reference, start, end, history=[entry])

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def line(self, budget_line_id: UUID) -> BudgetLine | None:
        return next((line for line in self.lines if line.budget_line_id == budget_line_id), None)

    def add_line(self, line: BudgetLine) -> None:
        """Lines are set while the agreement is a draft; after signing, an amendment is a new agreement."""
        self._require(AgreementStatus.DRAFT, "add a line to")
        if line.agreement_id != self.agreement_id:
            raise InvalidValue("agreement_id", "the line belongs to another agreement")
        if self.line(line.budget_line_id) is not None:
            raise InvalidValue("budget_line_id", "the agreement already has this line")
        self.lines.append(line)

    def attach(self, document: DocumentReference) -> None:
        if document not in self.documents:
            self.documents.append(document)

    def sign(self, signed_on: date, actor: Actor, at: datetime) -> None:
        self._check(AgreementStatus.SIGNED, at)
        if not self.lines:
            raise InvalidValue("lines", "an agreement is signed with at least one budget line")
        if signed_on > as_utc(at).date():
            raise InvalidValue("signed_on", "cannot be in the future")
        self.signed_on = signed_on
        self._enter(AgreementStatus.SIGNED, actor, at)

    def activate(self, actor: Actor, at: datetime) -> None:
        self._check(AgreementStatus.ACTIVE, at)
        assert self.signed_on is not None
        if as_utc(at).date() < self.signed_on:
            raise DatesOutOfOrder("activated_at", self.signed_on.isoformat())
        self._enter(AgreementStatus.ACTIVE, actor, at)

    def close(self, actor: Actor, at: datetime) -> None:
        self._check(AgreementStatus.CLOSED, at)
        self._enter(AgreementStatus.CLOSED, actor, at)

    @property
    def accepts_movements(self) -> bool:
        """Money moves only on an active agreement (claims and payments may still settle once it is closed)."""
        return self.status is AgreementStatus.ACTIVE

    def _require(self, status: AgreementStatus, attempted: str) -> None:
        if self.status is not status:
            raise IllegalTransition("agreement", self.status, attempted, tuple(_NEXT[self.status]))

    def _check(self, to: AgreementStatus, at: datetime) -> None:
        if to not in _NEXT[self.status]:
            raise IllegalTransition("agreement", self.status, f"make {to}", tuple(_NEXT[self.status]))
        last = self.history[-1].at if self.history else None
        if last is not None and as_utc(at) < last:
            raise DatesOutOfOrder("at", last.isoformat())

    def _enter(self, to: AgreementStatus, actor: Actor, at: datetime) -> None:
        self.history.append(AgreementTransition(self.status, to, as_utc(at), actor.subject, actor.org_id))
        self.status = to
