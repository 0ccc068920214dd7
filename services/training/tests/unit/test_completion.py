from decimal import Decimal

import pytest

from training_service.domain.completion import check_completion
from training_service.domain.errors import CompletionRefused
from training_service.domain.ledger import HoursLedger
from training_service.domain.vocabulary import Step


def done(attended: str, planned: str = "450") -> HoursLedger:
    return HoursLedger(Decimal(planned), Decimal(attended), Decimal(attended), Decimal(0), Decimal(0))


def test_step_four_completes_when_its_hours_are_done() -> None:
    assert check_completion(Step.TRADE_QUALIFICATION, done("450"), None) is False


def test_step_four_short_of_hours_is_refused_without_a_waiver() -> None:
    with pytest.raises(CompletionRefused) as refused:
        check_completion(Step.TRADE_QUALIFICATION, done("440"), None)
    assert refused.value.attended == Decimal(440)
    with pytest.raises(CompletionRefused):
        check_completion(Step.TRADE_QUALIFICATION, done("440"), "   ")


def test_step_four_short_of_hours_completes_with_a_waiver() -> None:
    assert check_completion(Step.TRADE_QUALIFICATION, done("440"), "hired early by the employer") is True


def test_step_three_short_of_hours_completes_without_a_waiver_with_its_hours_not_done() -> None:
    assert check_completion(Step.FRENCH_QUALIFICATION, done("10", "400"), None) is False
    assert check_completion(Step.FRENCH_QUALIFICATION, done("10", "400"), "  ") is False


def test_step_three_short_of_hours_is_waived_when_the_provider_says_why() -> None:
    reason = "absences made up in a catch-up workshop"
    assert check_completion(Step.FRENCH_QUALIFICATION, done("380", "400"), reason) is True
    assert check_completion(Step.FRENCH_QUALIFICATION, done("400", "400"), reason) is False  # nothing to waive


def test_step_one_has_no_hours_rule() -> None:
    assert check_completion(Step.PREREQUISITES, done("10", "200"), "any reason") is False
