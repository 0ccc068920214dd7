"""The transactions each business movement posts. Every builder returns a balanced transaction; the
ledger refuses it whole if it would break a limit (see ``ledger``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from funding_service.domain.consumption import ConsumptionDelta
from funding_service.domain.errors import InvalidValue
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger, Posting, Transaction, transfer
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import Stage, TransactionKind

line_account = AccountKey.line
person_account = AccountKey.person
PersonLine = tuple[UUID, UUID]  # (beneficiary id, budget line id)


def grant(budget_line_id: UUID, amount: Decimal, at: datetime) -> Transaction:
    """Open a line: the agreement's amount becomes available."""
    pair = transfer(line_account(budget_line_id, Stage.GRANTED), line_account(budget_line_id, Stage.AVAILABLE), amount)
    return Transaction(TransactionKind.GRANT, pair, at)


def commitment(
    beneficiary_id: UUID, parts: Mapping[UUID, Decimal], at: datetime, reference_id: UUID | None = None
) -> Transaction:
    """Reserve, per line, a person's part of a step's planned cost (one transaction for all funders)."""
    postings: list[Posting] = []
    for line_id, amount in sorted(parts.items()):
        if amount:
            postings += transfer(
                line_account(line_id, Stage.AVAILABLE), person_account(line_id, Stage.COMMITTED, beneficiary_id), amount
            )
    return Transaction(TransactionKind.COMMITMENT, tuple(postings), at, reference_id=reference_id)


# Planned hours of steps 3 and 4 when the course does not say (DESIGN.md §1).
DEFAULT_STEP_HOURS: Mapping[int, Decimal] = {3: Decimal(400), 4: Decimal(450)}


def outstanding(parts: Mapping[UUID, Decimal], consumed: Mapping[UUID, Decimal]) -> dict[UUID, Decimal]:
    """Per line, what a step's commitment has to hold for its planned ``parts`` once what the person already
    consumed on that step is counted (sheets can arrive before the commitment is made): never below zero."""
    return {line: max(part - consumed.get(line, ZERO), ZERO) for line, part in parts.items()}


def step_parts(
    plan: FinancingPlan, planned_hours: Decimal | None, consumed: Mapping[UUID, Decimal] | None = None
) -> dict[UUID, Decimal]:
    """What a step commitment reserves per line: the planned hours (the step's default when None) priced by the
    plan, less what was already consumed for the same person and step."""
    if plan.step is None:
        raise InvalidValue("plan", "only a training-hours plan commits on a step's start")
    hours = DEFAULT_STEP_HOURS[plan.step] if planned_hours is None else planned_hours
    if not hours.is_finite() or hours <= 0:
        raise InvalidValue("planned_hours", "must be above zero")
    return outstanding(plan.parts_for(hours), consumed or {})


def step_commitment(
    plan: FinancingPlan,
    beneficiary_id: UUID,
    planned_hours: Decimal | None,
    at: datetime,
    reference_id: UUID,
    consumed: Mapping[UUID, Decimal] | None = None,
) -> Transaction:
    """On step-started: the step's planned hours times the plan's hourly cost, split between its lines, less what
    the step already consumed (see ``step_parts``; nothing left to reserve is the caller's case to handle)."""
    return commitment(beneficiary_id, step_parts(plan, planned_hours, consumed), at, reference_id)


def step_recommitment_changes(
    plan: FinancingPlan, hours_before: Decimal, hours_after: Decimal, consumed: Mapping[UUID, Decimal]
) -> dict[UUID, Decimal]:
    """Per line, how a step commitment moves when its planned hours change: from what it held for the old hours
    to what it must hold for the new ones, both net of what the step already consumed."""
    before = outstanding(plan.parts_for(hours_before), consumed)
    after = outstanding(plan.parts_for(hours_after), consumed)
    return {line: after.get(line, ZERO) - before.get(line, ZERO) for line in set(before) | set(after)}


def consumption(
    ledger: Ledger, beneficiary_id: UUID, budget_line_id: UUID, amount: Decimal, at: datetime, reference_id: UUID
) -> Transaction:
    """Consume (amount > 0) from the person's commitment first, then from what the line has available;
    give back (amount < 0) to the person's commitment."""
    postings = _consumption_postings(ledger, beneficiary_id, budget_line_id, amount)
    return Transaction(TransactionKind.CONSUMPTION, postings, at, reference_id=reference_id)


def _consumption_postings(
    ledger: Ledger, beneficiary_id: UUID, budget_line_id: UUID, amount: Decimal, reserved: Decimal | None = None
) -> tuple[Posting, ...]:
    committed = person_account(budget_line_id, Stage.COMMITTED, beneficiary_id)
    consumed = person_account(budget_line_id, Stage.CONSUMED, beneficiary_id)
    if amount == 0:
        raise InvalidValue("amount", "a consumption moves some money")
    postings: tuple[Posting, ...] = ()
    if amount < 0:
        if reserved is None:
            return transfer(consumed, committed, -amount)
        # The commitment takes back only what it misses to stand for its planned part less what stays consumed;
        # the rest was drawn from the line (consumed before the commitment existed, or beyond it) and goes back.
        should_hold = max(reserved - amount, ZERO)
        to_commitment = min(-amount, max(should_hold - max(ledger.balance(committed), ZERO), ZERO))
        if to_commitment:
            postings += transfer(consumed, committed, to_commitment)
        if -amount - to_commitment:
            postings += transfer(consumed, line_account(budget_line_id, Stage.AVAILABLE), -amount - to_commitment)
        return postings
    from_commitment = min(amount, max(ledger.balance(committed), ZERO))
    if from_commitment:
        postings += transfer(committed, consumed, from_commitment)
    if amount - from_commitment:
        postings += transfer(line_account(budget_line_id, Stage.AVAILABLE), consumed, amount - from_commitment)
    return postings


def net_changes(deltas: Iterable[ConsumptionDelta]) -> dict[PersonLine, Decimal]:
    """The deltas netted per (person, line): a correction can move excused hours between sessions of one person."""
    net: dict[PersonLine, Decimal] = {}
    for delta in deltas:
        key = (delta.beneficiary_id, delta.budget_line_id)
        net[key] = net.get(key, ZERO) + delta.amount
    return net


def sheet_consumption(
    ledger: Ledger,
    deltas: Iterable[ConsumptionDelta],
    at: datetime,
    session_id: UUID,
    reserved: Mapping[PersonLine, Decimal] | None = None,
) -> Transaction | None:
    """All the differences one sheet brings, as one transaction. Deltas are netted per (person, line) first:
    a correction can move excused hours between sessions of one person, and each account is read once.

    ``reserved`` gives, for every (person, line) the sheet gives back on (see ``net_changes``), what the person's
    step commitment stands for on the line less what the step consumed before this sheet (negative beyond it; 0
    less the consumption without a commitment): what is given back then returns to the commitment only as far as
    it was drawn from it, the rest to the line. Without it (a commitment by hand, not tied to a step) everything
    returns to the commitment. A consumption draws on the commitment first whatever it reserves."""
    postings: list[Posting] = []
    for (person, line_id), amount in sorted(net_changes(deltas).items()):
        if amount:
            room = None if reserved is None or amount > 0 else reserved[(person, line_id)]
            postings.extend(_consumption_postings(ledger, person, line_id, amount, room))
    return Transaction(TransactionKind.CONSUMPTION, tuple(postings), at, reference_id=session_id) if postings else None


def uncommitted_consumption(
    ledger: Ledger, deltas: Iterable[ConsumptionDelta], at: datetime, reference_id: UUID
) -> Transaction | None:
    """Consumption of a cost no step commitment reserves (support's nights, meals, months): drawn from a
    commitment by hand if the person has one on the line, else from the line; what is given back goes to the
    line (nothing stands reserved for it)."""
    deltas = list(deltas)
    # A reservation equal to the (negative) change leaves the commitment nothing to take back.
    nothing_reserved = {key: min(amount, ZERO) for key, amount in net_changes(deltas).items()}
    return sheet_consumption(ledger, deltas, at, reference_id, nothing_reserved)


def drawn_from_commitments(transaction: Transaction | None) -> dict[PersonLine, Decimal]:
    """Per (person, line): what a consumption took out of the person's commitment (negative: gave back to it), read
    off its postings on the person's ``committed`` account; the rest of what it consumed came from the line."""
    drawn: dict[PersonLine, Decimal] = {}
    for posting in transaction.postings if transaction is not None else ():
        person = posting.account.beneficiary_id
        if posting.account.stage is Stage.COMMITTED and person is not None:
            key = (person, posting.account.budget_line_id)
            drawn[key] = drawn.get(key, ZERO) - posting.effect
    return drawn


def share_drawn(amounts: Iterable[Decimal], drawn: Decimal) -> list[Decimal]:
    """Share what one line's transaction drew from a commitment (``drawn``, netted over the line) between the parts
    of its amount, in their order: only parts moving the same way take it (a part given back while the line drew
    went to the line), each up to its own amount. The shares sum to ``drawn``, which never exceeds the parts moving
    its way (a consumption draws at most the net amount from the commitment)."""
    shares = []
    left = drawn
    for amount in amounts:
        share = ZERO if amount * left <= 0 else min(amount, left) if left > 0 else max(amount, left)
        shares.append(share)
        left -= share
    return shares


def release(ledger: Ledger, beneficiary_id: UUID, budget_line_ids: list[UUID], at: datetime) -> Transaction | None:
    """Give back to each line what the person has committed and not consumed (on withdrawal). The line's
    ``granted`` source puts the amount back into ``available`` while ``released`` records it for the person."""
    postings: tuple[Posting, ...] = ()
    for line_id in sorted(budget_line_ids):
        committed = person_account(line_id, Stage.COMMITTED, beneficiary_id)
        amount = ledger.balance(committed)
        if amount > 0:
            postings += transfer(committed, person_account(line_id, Stage.RELEASED, beneficiary_id), amount)
            postings += transfer(line_account(line_id, Stage.GRANTED), line_account(line_id, Stage.AVAILABLE), amount)
    if not postings:
        return None
    return Transaction(TransactionKind.RELEASE, postings, at, reference_id=beneficiary_id)


def recommitment(
    ledger: Ledger, beneficiary_id: UUID, changes: Mapping[UUID, Decimal], at: datetime, reference_id: UUID
) -> Transaction | None:
    """A step commitment moved to its course's new planned hours, per line: an increase is reserved from what
    the line has available (refused whole when it has not that much), a decrease is released back to the line,
    never more than the person still has committed there (what was consumed stays consumed)."""
    postings: tuple[Posting, ...] = ()
    for line_id, change in sorted(changes.items()):
        committed = person_account(line_id, Stage.COMMITTED, beneficiary_id)
        if change > 0:
            postings += transfer(line_account(line_id, Stage.AVAILABLE), committed, change)
            continue
        given_back = min(-change, max(ledger.balance(committed), ZERO))
        if given_back > 0:
            postings += transfer(committed, person_account(line_id, Stage.RELEASED, beneficiary_id), given_back)
            postings += transfer(
                line_account(line_id, Stage.GRANTED), line_account(line_id, Stage.AVAILABLE), given_back
            )
    if not postings:
        return None
    kind = TransactionKind.COMMITMENT if any(change > 0 for change in changes.values()) else TransactionKind.RELEASE
    return Transaction(kind, postings, at, reference_id=reference_id)


def _moves(
    kind: TransactionKind,
    amounts: Mapping[PersonLine, Decimal],
    source: Stage,
    target: Stage,
    at: datetime,
    claim_id: UUID,
) -> Transaction | None:
    postings: tuple[Posting, ...] = ()
    for (person, line_id), amount in sorted(amounts.items()):
        if amount:
            postings += transfer(
                person_account(line_id, source, person), person_account(line_id, target, person), amount
            )
    return Transaction(kind, postings, at, reference_id=claim_id) if postings else None


def claim_submission(claimed: Mapping[PersonLine, Decimal], at: datetime, claim_id: UUID) -> Transaction | None:
    return _moves(TransactionKind.CLAIM, claimed, Stage.CONSUMED, Stage.CLAIMED, at, claim_id)


def claim_decision(
    claimed: Mapping[PersonLine, Decimal], approved: Mapping[PersonLine, Decimal], at: datetime, claim_id: UUID
) -> Transaction | None:
    """Approved amounts go on to ``approved``; what the funder did not allow goes to ``disallowed``.
    A rejection is a decision that approves nothing."""
    postings: tuple[Posting, ...] = ()
    for (person, line_id), amount in sorted(claimed.items()):
        granted = approved.get((person, line_id), ZERO)
        claimed_account = person_account(line_id, Stage.CLAIMED, person)
        if granted:
            postings += transfer(claimed_account, person_account(line_id, Stage.APPROVED, person), granted)
        if amount - granted > 0:
            postings += transfer(claimed_account, person_account(line_id, Stage.DISALLOWED, person), amount - granted)
    return Transaction(TransactionKind.APPROVAL, postings, at, reference_id=claim_id) if postings else None


def payment(paid: Mapping[PersonLine, Decimal], at: datetime, claim_id: UUID) -> Transaction | None:
    return _moves(TransactionKind.PAYMENT, paid, Stage.APPROVED, Stage.PAID, at, claim_id)
