"""Hold and withdrawal reasons: a closed list, and a health reason never leaves enrolment (DESIGN.md §5)."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import get_args

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.pathway import Pathway
from enrolment_service.domain.vocabulary import HoldReason, PathwayStatus, WithdrawalReason
from enrolment_service.service_layer.publishing import to_contract
from hope_contracts import enrolment

PathwayIn = Callable[..., Pathway]
AT = datetime(2025, 5, 2, 14, 0, tzinfo=UTC)


def test_a_withdrawal_for_health_reasons_is_published_as_personal_and_kept_as_health_inside(
    pathway_in: PathwayIn, akto: Actor
) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    [withdrawn] = pathway.withdraw(WithdrawalReason.HEALTH, akto, AT)
    published = to_contract(withdrawn)
    assert isinstance(published, enrolment.BeneficiaryWithdrawn)
    assert published.reason == "personal"
    assert pathway.history[-1].reason_code == "health"


def test_a_hold_for_health_reasons_is_published_as_personal_and_kept_as_health_inside(
    pathway_in: PathwayIn, akto: Actor
) -> None:
    pathway = pathway_in(PathwayStatus.PREREQUISITES)
    [held] = pathway.put_on_hold(HoldReason.HEALTH, akto, AT)
    published = to_contract(held)
    assert isinstance(published, enrolment.PathwayPutOnHold)
    assert published.reason_code == "personal"
    assert pathway.history[-1].reason_code == "health"


@pytest.mark.parametrize("reason", list(HoldReason))
def test_every_hold_reason_is_published_with_a_code_of_the_contract(
    reason: HoldReason, pathway_in: PathwayIn, akto: Actor
) -> None:
    [held] = pathway_in(PathwayStatus.REGISTERED).put_on_hold(reason, akto, AT)
    assert to_contract(held).model_dump()["reason_code"] in get_args(enrolment.HoldReason)


@pytest.mark.parametrize("reason", list(WithdrawalReason))
def test_every_withdrawal_reason_is_published_with_a_code_of_the_contract(
    reason: WithdrawalReason, pathway_in: PathwayIn, akto: Actor
) -> None:
    [withdrawn] = pathway_in(PathwayStatus.REGISTERED).withdraw(reason, akto, AT)
    assert to_contract(withdrawn).model_dump()["reason"] in get_args(enrolment.WithdrawalReason)


def test_only_the_health_reason_is_published_under_another_name() -> None:
    assert [reason for reason in HoldReason if reason.published.value != reason.value] == [HoldReason.HEALTH]
    assert [reason for reason in WithdrawalReason if reason.published.value != reason.value] == [
        WithdrawalReason.HEALTH
    ]
