"""A claim's life: built from consumed-not-claimed, submitted, returned, approved or rejected, paid, reconciled."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.actor import Actor
from funding_service.domain.claim import Claim, Unclaimed
from funding_service.domain.errors import DatesOutOfOrder, IllegalTransition, InvalidValue
from funding_service.domain.vocabulary import ClaimStatus, CostType

CLAIM = UUID("00000000-0000-4000-8000-0000000000d1")
AGREEMENT = UUID("00000000-0000-4000-8000-0000000000a1")
LINE = UUID("00000000-0000-4000-8000-00000000001a")
ANNA = UUID("00000000-0000-4000-8000-000000000001")
BORIS = UUID("00000000-0000-4000-8000-000000000002")
SEPTEMBER = (date(2025, 9, 1), date(2025, 9, 30))
LATER = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)


def unclaimed(person: UUID, day: int, amount: str, month: int = 9) -> Unclaimed:
    return Unclaimed(person, LINE, CostType.TRAINING_HOURS, date(2025, month, day), Decimal(amount))


@pytest.fixture
def claim(operator: Actor) -> Claim:
    items = [
        unclaimed(ANNA, 1, "87.50"),
        unclaimed(ANNA, 2, "87.50"),
        unclaimed(BORIS, 1, "87.50"),
        unclaimed(BORIS, 2, "-37.50"),
        unclaimed(ANNA, 1, "87.50", month=10),
    ]
    return Claim.build(CLAIM, AGREEMENT, SEPTEMBER, items, operator, datetime(2025, 10, 2, tzinfo=UTC))


def test_a_claim_gathers_per_person_and_line_what_was_consumed_in_its_period(claim: Claim) -> None:
    assert [(line.beneficiary_id, line.claimed) for line in claim.lines] == [
        (ANNA, Decimal("175.00")),
        (BORIS, Decimal("50.00")),
    ]
    assert claim.status is ClaimStatus.DRAFT
    assert claim.claimed == Decimal("225.00")


def test_a_claim_with_nothing_to_claim_is_refused(operator: Actor) -> None:
    with pytest.raises(InvalidValue):
        Claim.build(CLAIM, AGREEMENT, SEPTEMBER, [unclaimed(ANNA, 1, "5", month=8)], operator, LATER)


def test_a_claim_goes_through_its_whole_life_with_dates_in_order(claim: Claim, operator: Actor) -> None:
    claim.submit(date(2025, 10, 3), operator, LATER)
    claim.approve({(BORIS, LINE): (Decimal("40.00"), "hours_not_evidenced")}, date(2025, 10, 20), operator, LATER)
    assert claim.approved == Decimal("215.00")
    assert claim.lines[1].reason_code == "hours_not_evidenced"
    settled = claim.pay("VIR-2025-11-0042", date(2025, 11, 5), Decimal("215.00"), operator, LATER)
    assert settled == {(ANNA, LINE): Decimal("175.00"), (BORIS, LINE): Decimal("40.00")}
    claim.reconcile(date(2025, 11, 6), operator, LATER)
    assert [t.to_status for t in claim.history] == [
        ClaimStatus.DRAFT,
        ClaimStatus.SUBMITTED,
        ClaimStatus.APPROVED,
        ClaimStatus.PAID,
        ClaimStatus.RECONCILED,
    ]


def test_a_returned_claim_needs_a_comment_and_goes_back_to_draft(claim: Claim, operator: Actor) -> None:
    claim.submit(date(2025, 10, 3), operator, LATER)
    with pytest.raises(InvalidValue, match="comment"):
        claim.return_for_changes("   ", date(2025, 10, 4), operator, LATER)
    claim.return_for_changes("Certificates missing for two trainees", date(2025, 10, 4), operator, LATER)
    assert claim.history[-1].comment == "Certificates missing for two trainees"
    claim.reopen(date(2025, 10, 5), operator, LATER)
    claim.remove_line(BORIS, LINE)
    claim.submit(date(2025, 10, 6), operator, LATER)
    assert claim.claimed == Decimal("175.00")


def test_approving_less_than_claimed_needs_a_reason_code(claim: Claim, operator: Actor) -> None:
    claim.submit(date(2025, 10, 3), operator, LATER)
    with pytest.raises(InvalidValue, match="reason"):
        claim.approve({(ANNA, LINE): (Decimal("100.00"), None)}, date(2025, 10, 4), operator, LATER)
    with pytest.raises(InvalidValue, match="between"):
        claim.approve({(ANNA, LINE): (Decimal("175.01"), None)}, date(2025, 10, 4), operator, LATER)
    assert claim.status is ClaimStatus.SUBMITTED
    assert claim.lines[0].approved is None


def test_a_rejected_claim_approves_nothing_and_cannot_be_paid(claim: Claim, operator: Actor) -> None:
    claim.submit(date(2025, 10, 3), operator, LATER)
    claim.reject("outside_agreement_period", date(2025, 10, 4), operator, LATER)
    assert claim.approved == 0
    with pytest.raises(IllegalTransition):
        claim.pay("VIR-1", date(2025, 10, 5), Decimal("1.00"), operator, LATER)


def test_a_payment_cannot_exceed_what_was_approved(claim: Claim, operator: Actor) -> None:
    claim.submit(date(2025, 10, 3), operator, LATER)
    claim.approve({}, date(2025, 10, 4), operator, LATER)
    with pytest.raises(InvalidValue, match=r"at most the 225\.00 approved"):
        claim.pay("VIR-1", date(2025, 10, 5), Decimal("225.01"), operator, LATER)


def test_a_step_dated_before_the_previous_one_is_refused(claim: Claim, operator: Actor) -> None:
    claim.submit(date(2025, 10, 3), operator, LATER)
    with pytest.raises(DatesOutOfOrder) as refused:
        claim.approve({}, date(2025, 10, 2), operator, LATER)
    assert refused.value.details() == {"field": "on", "earliest": "2025-10-03"}


def test_a_step_dated_in_the_future_is_refused(claim: Claim, operator: Actor) -> None:
    with pytest.raises(InvalidValue, match="future"):
        claim.submit(LATER.date() + timedelta(days=1), operator, LATER)


def test_a_draft_cannot_be_approved_nor_a_submitted_claim_edited(claim: Claim, operator: Actor) -> None:
    with pytest.raises(IllegalTransition):
        claim.approve({}, date(2025, 10, 4), operator, LATER)
    claim.submit(date(2025, 10, 3), operator, LATER)
    with pytest.raises(IllegalTransition):
        claim.remove_line(ANNA, LINE)


def test_a_decision_for_a_line_the_claim_does_not_have_is_refused(claim: Claim, operator: Actor) -> None:
    claim.submit(date(2025, 10, 3), operator, LATER)
    with pytest.raises(InvalidValue, match="does not have"):
        claim.approve({(ANNA, AGREEMENT): (Decimal(0), "x")}, date(2025, 10, 4), operator, LATER)
