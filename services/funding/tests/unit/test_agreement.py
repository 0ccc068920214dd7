"""An agreement goes draft → signed → active → closed, keeping every change; lines are set while a draft."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from uuid import UUID

import pytest

from funding_service.domain.actor import Actor
from funding_service.domain.agreement import DocumentReference, FundingAgreement
from funding_service.domain.budget_line import BudgetLine
from funding_service.domain.errors import DatesOutOfOrder, IllegalTransition, InvalidValue
from funding_service.domain.vocabulary import AgreementStatus

AGREEMENT = UUID("00000000-0000-4000-8000-0000000000a1")
FUNDER = UUID("00000000-0000-4000-8000-0000000000f1")
PERIOD = (date(2025, 1, 1), date(2026, 12, 31))


@pytest.fixture
def agreement(operator: Actor, now: datetime, line_factory: Callable[..., BudgetLine]) -> FundingAgreement:
    drafted = FundingAgreement.draft(AGREEMENT, FUNDER, "PIC-2025-IDF-007", PERIOD, operator, now)
    drafted.add_line(line_factory())
    return drafted


def test_an_agreement_goes_from_draft_to_closed_and_keeps_every_change(
    agreement: FundingAgreement, operator: Actor, now: datetime
) -> None:
    agreement.sign(date(2025, 8, 28), operator, now)
    agreement.activate(operator, now + timedelta(days=1))
    assert agreement.accepts_movements
    agreement.close(operator, now + timedelta(days=400))
    assert agreement.status is AgreementStatus.CLOSED
    assert [(t.from_status, t.to_status) for t in agreement.history] == [
        (None, AgreementStatus.DRAFT),
        (AgreementStatus.DRAFT, AgreementStatus.SIGNED),
        (AgreementStatus.SIGNED, AgreementStatus.ACTIVE),
        (AgreementStatus.ACTIVE, AgreementStatus.CLOSED),
    ]
    assert agreement.signed_on == date(2025, 8, 28)
    assert not agreement.accepts_movements


def test_a_draft_cannot_be_activated_before_it_is_signed(agreement: FundingAgreement, operator: Actor) -> None:
    with pytest.raises(IllegalTransition) as refused:
        agreement.activate(operator, agreement.history[-1].at)
    assert refused.value.category == "conflict"
    assert refused.value.details() == {"current_status": "draft", "attempted": "make active", "allowed": "signed"}


def test_an_agreement_without_lines_cannot_be_signed(operator: Actor, now: datetime) -> None:
    empty = FundingAgreement.draft(AGREEMENT, FUNDER, "PIC-2025-IDF-008", PERIOD, operator, now)
    with pytest.raises(InvalidValue):
        empty.sign(date(2025, 8, 28), operator, now)
    assert empty.status is AgreementStatus.DRAFT


def test_a_signing_date_in_the_future_is_refused(agreement: FundingAgreement, operator: Actor, now: datetime) -> None:
    with pytest.raises(InvalidValue):
        agreement.sign(now.date() + timedelta(days=1), operator, now)


def test_a_change_dated_before_the_last_one_is_refused(
    agreement: FundingAgreement, operator: Actor, now: datetime
) -> None:
    with pytest.raises(DatesOutOfOrder):
        agreement.sign(date(2025, 8, 1), operator, now - timedelta(hours=1))


def test_lines_are_added_only_while_the_agreement_is_a_draft(
    agreement: FundingAgreement, operator: Actor, now: datetime, line_factory: Callable[..., BudgetLine]
) -> None:
    agreement.sign(date(2025, 8, 28), operator, now)
    with pytest.raises(IllegalTransition):
        agreement.add_line(line_factory(line_id=UUID("00000000-0000-4000-8000-00000000001c")))


def test_a_line_of_another_agreement_or_a_duplicate_line_is_refused(
    agreement: FundingAgreement, line_factory: Callable[..., BudgetLine]
) -> None:
    with pytest.raises(InvalidValue):
        agreement.add_line(line_factory())
    with pytest.raises(InvalidValue):
        agreement.add_line(line_factory(agreement_id=UUID("00000000-0000-4000-8000-0000000000a9")))


def test_a_period_that_ends_before_it_starts_is_refused(operator: Actor, now: datetime) -> None:
    with pytest.raises(DatesOutOfOrder):
        FundingAgreement.draft(AGREEMENT, FUNDER, "X-1", (date(2025, 2, 1), date(2025, 1, 1)), operator, now)


def test_documents_are_attached_by_reference_once(agreement: FundingAgreement) -> None:
    signed_copy = DocumentReference("signed_convention", "GED-2025-000123")
    agreement.attach(signed_copy)
    agreement.attach(signed_copy)
    assert agreement.documents == [signed_copy]
    with pytest.raises(InvalidValue):
        DocumentReference("signed convention", "free text here")
