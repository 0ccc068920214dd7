from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.events import BeneficiaryWithdrawn, PathwayPutOnHold, PathwayResumed
from enrolment_service.domain.pathway import Pathway
from enrolment_service.domain.vocabulary import HoldReason, PathwayAction, PathwayStatus, Step, WithdrawalReason

PathwayIn = Callable[..., Pathway]
BENEFICIARY_ID = UUID("00000000-0000-4000-8000-000000000001")
HELD_AT = datetime(2025, 5, 2, 14, 0, tzinfo=UTC)
RESUMED_AT = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

ACTIVE = [
    (PathwayStatus.REGISTERED, None),
    (PathwayStatus.PREREQUISITES, Step.PREREQUISITES),
    (PathwayStatus.PRE_ORIENTATION, Step.PRE_ORIENTATION),
    (PathwayStatus.FRENCH_QUALIFICATION, Step.FRENCH_QUALIFICATION),
    (PathwayStatus.TRADE_QUALIFICATION, Step.TRADE_QUALIFICATION),
]


@pytest.mark.parametrize(("status", "step"), ACTIVE)
def test_resume_returns_to_where_the_hold_began(
    status: PathwayStatus, step: Step | None, pathway_in: PathwayIn, akto: Actor
) -> None:
    pathway = pathway_in(status)

    held = pathway.put_on_hold(HoldReason.PERSONAL, akto, HELD_AT)
    assert held == [
        PathwayPutOnHold(
            beneficiary_id=BENEFICIARY_ID, from_status=status, reason_code=HoldReason.PERSONAL, occurred_at=HELD_AT
        )
    ]
    assert pathway.status is PathwayStatus.ON_HOLD
    assert pathway.status_before_hold is status
    assert pathway.current_step is step

    resumed = pathway.resume(akto, RESUMED_AT)
    assert resumed == [PathwayResumed(beneficiary_id=BENEFICIARY_ID, to_status=status, occurred_at=RESUMED_AT)]
    assert pathway.status is status
    assert pathway.status_before_hold is None
    assert pathway.current_step is step


@pytest.mark.parametrize(("status", "step"), ACTIVE)
def test_withdraw_from_an_active_status(
    status: PathwayStatus, step: Step | None, pathway_in: PathwayIn, akto: Actor
) -> None:
    pathway = pathway_in(status)
    events = pathway.withdraw(WithdrawalReason.EMPLOYMENT_FOUND, akto, HELD_AT)
    assert events == [
        BeneficiaryWithdrawn(
            beneficiary_id=BENEFICIARY_ID,
            reason=WithdrawalReason.EMPLOYMENT_FOUND,
            from_status=status,
            last_step=step,
            occurred_at=HELD_AT,
        )
    ]
    assert pathway.status is PathwayStatus.WITHDRAWN
    assert pathway.history[-1].reason_code == "employment_found"
    assert pathway.allowed_actions() == ()


def test_withdraw_while_on_hold_names_the_step_reached(pathway_in: PathwayIn, akto: Actor) -> None:
    pathway = pathway_in(PathwayStatus.FRENCH_QUALIFICATION)
    pathway.put_on_hold(HoldReason.HEALTH, akto, HELD_AT)
    events = pathway.withdraw(WithdrawalReason.HEALTH, akto, RESUMED_AT)
    assert events == [
        BeneficiaryWithdrawn(
            beneficiary_id=BENEFICIARY_ID,
            reason=WithdrawalReason.PERSONAL,  # the published reason: health stays in enrolment
            from_status=PathwayStatus.ON_HOLD,
            last_step=Step.FRENCH_QUALIFICATION,
            occurred_at=RESUMED_AT,
        )
    ]
    assert pathway.status_before_hold is None
    assert pathway.allowed_actions() == ()


def test_on_hold_allows_only_resume_and_withdraw(pathway_in: PathwayIn) -> None:
    assert pathway_in(PathwayStatus.ON_HOLD).allowed_actions() == (PathwayAction.RESUME, PathwayAction.WITHDRAW)
