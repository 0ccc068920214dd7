"""Every status x every action of the pathway state machine, against an explicit table."""

from collections.abc import Callable
from datetime import datetime

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.errors import IllegalTransition
from enrolment_service.domain.events import DomainEvent
from enrolment_service.domain.pathway import HoursWaiver, Pathway, PrerequisitesRecord
from enrolment_service.domain.vocabulary import HoldReason, PathwayAction, PathwayStatus, WithdrawalReason

PathwayIn = Callable[..., Pathway]
S = PathwayStatus
A = PathwayAction

# Where each legal (status, action) leads. Anything missing here must be refused.
LEGAL: dict[tuple[PathwayStatus, PathwayAction], PathwayStatus] = {
    (S.REGISTERED, A.START_PREREQUISITES): S.PREREQUISITES,
    (S.REGISTERED, A.VALIDATE_PREREQUISITES): S.PRE_ORIENTATION,
    (S.REGISTERED, A.CHOOSE_SECTOR): S.REGISTERED,
    (S.REGISTERED, A.PUT_ON_HOLD): S.ON_HOLD,
    (S.REGISTERED, A.WITHDRAW): S.WITHDRAWN,
    (S.PREREQUISITES, A.VALIDATE_PREREQUISITES): S.PRE_ORIENTATION,
    (S.PREREQUISITES, A.CHOOSE_SECTOR): S.PREREQUISITES,
    (S.PREREQUISITES, A.PUT_ON_HOLD): S.ON_HOLD,
    (S.PREREQUISITES, A.WITHDRAW): S.WITHDRAWN,
    (S.PRE_ORIENTATION, A.CHOOSE_SECTOR): S.PRE_ORIENTATION,
    (S.PRE_ORIENTATION, A.START_FRENCH_QUALIFICATION): S.FRENCH_QUALIFICATION,
    (S.PRE_ORIENTATION, A.PUT_ON_HOLD): S.ON_HOLD,
    (S.PRE_ORIENTATION, A.WITHDRAW): S.WITHDRAWN,
    (S.FRENCH_QUALIFICATION, A.START_TRADE_QUALIFICATION): S.TRADE_QUALIFICATION,
    (S.FRENCH_QUALIFICATION, A.PUT_ON_HOLD): S.ON_HOLD,
    (S.FRENCH_QUALIFICATION, A.WITHDRAW): S.WITHDRAWN,
    (S.TRADE_QUALIFICATION, A.COMPLETE): S.COMPLETED,
    (S.TRADE_QUALIFICATION, A.PUT_ON_HOLD): S.ON_HOLD,
    (S.TRADE_QUALIFICATION, A.WITHDRAW): S.WITHDRAWN,
    (S.ON_HOLD, A.RESUME): S.PREREQUISITES,  # the fixture's on_hold pathway was held in prerequisites
    (S.ON_HOLD, A.WITHDRAW): S.WITHDRAWN,
}

ALLOWED_NOW: dict[PathwayStatus, tuple[PathwayAction, ...]] = {
    S.REGISTERED: (A.START_PREREQUISITES, A.VALIDATE_PREREQUISITES, A.CHOOSE_SECTOR, A.PUT_ON_HOLD, A.WITHDRAW),
    S.PREREQUISITES: (A.VALIDATE_PREREQUISITES, A.CHOOSE_SECTOR, A.PUT_ON_HOLD, A.WITHDRAW),
    S.PRE_ORIENTATION: (A.CHOOSE_SECTOR, A.START_FRENCH_QUALIFICATION, A.PUT_ON_HOLD, A.WITHDRAW),
    S.FRENCH_QUALIFICATION: (A.START_TRADE_QUALIFICATION, A.PUT_ON_HOLD, A.WITHDRAW),
    S.TRADE_QUALIFICATION: (A.COMPLETE, A.PUT_ON_HOLD, A.WITHDRAW),
    S.ON_HOLD: (A.RESUME, A.WITHDRAW),
    S.COMPLETED: (),
    S.WITHDRAWN: (),
}


WAIVER = HoursWaiver("prior B1")


def act(
    pathway: Pathway, action: PathwayAction, actor: Actor, at: datetime, record: PrerequisitesRecord
) -> list[DomainEvent]:
    calls: dict[PathwayAction, Callable[[], list[DomainEvent]]] = {
        A.START_PREREQUISITES: lambda: pathway.start_prerequisites(actor, at),
        A.VALIDATE_PREREQUISITES: lambda: pathway.validate_prerequisites(record, actor, at),
        A.CHOOSE_SECTOR: lambda: pathway.choose_sector("construction", actor, at),
        A.START_FRENCH_QUALIFICATION: lambda: pathway.start_french_qualification(actor, at),
        A.START_TRADE_QUALIFICATION: lambda: pathway.start_trade_qualification(actor, at, waiver=WAIVER),
        A.COMPLETE: lambda: pathway.complete(actor, at),
        A.PUT_ON_HOLD: lambda: pathway.put_on_hold(HoldReason.ADMINISTRATIVE, actor, at),
        A.RESUME: lambda: pathway.resume(actor, at),
        A.WITHDRAW: lambda: pathway.withdraw(WithdrawalReason.PERSONAL, actor, at),
    }
    return calls[action]()


def test_the_table_names_every_status_and_action() -> None:
    assert set(ALLOWED_NOW) == set(PathwayStatus)
    assert {(s, a) for s, actions in ALLOWED_NOW.items() for a in actions} == set(LEGAL)


@pytest.mark.parametrize("status", list(PathwayStatus))
def test_allowed_actions(status: PathwayStatus, pathway_in: PathwayIn) -> None:
    assert pathway_in(status).allowed_actions() == ALLOWED_NOW[status]


@pytest.mark.parametrize("action", list(PathwayAction))
@pytest.mark.parametrize("status", list(PathwayStatus))
def test_every_status_and_action(
    status: PathwayStatus,
    action: PathwayAction,
    pathway_in: PathwayIn,
    akto: Actor,
    now: datetime,
    record: Callable[[], PrerequisitesRecord],
) -> None:
    pathway = pathway_in(status)
    history_before = list(pathway.history)

    if (status, action) in LEGAL:
        act(pathway, action, akto, now, record())
        assert pathway.status is LEGAL[status, action]
        changed_status = pathway.status is not status
        assert len(pathway.history) == len(history_before) + changed_status
    else:
        with pytest.raises(IllegalTransition) as refused:
            act(pathway, action, akto, now, record())
        assert refused.value.code == "illegal_transition"
        assert refused.value.current == status
        assert refused.value.attempted == action
        assert refused.value.allowed == ALLOWED_NOW[status]
        assert pathway.status is status
        assert pathway.history == history_before


def test_refusal_names_the_allowed_actions(pathway_in: PathwayIn, akto: Actor, now: datetime) -> None:
    pathway = pathway_in(S.FRENCH_QUALIFICATION)
    with pytest.raises(IllegalTransition) as refused:
        pathway.complete(akto, now)
    assert refused.value.detail == (
        "cannot complete while the pathway is french_qualification; "
        "allowed now: start_trade_qualification, put_on_hold, withdraw"
    )


@pytest.mark.parametrize("status", [S.COMPLETED, S.WITHDRAWN])
def test_terminal_statuses_allow_nothing(
    status: PathwayStatus, pathway_in: PathwayIn, akto: Actor, now: datetime
) -> None:
    pathway = pathway_in(status)
    with pytest.raises(IllegalTransition) as refused:
        pathway.resume(akto, now)
    assert refused.value.allowed == ()
    assert "none, the pathway is closed" in refused.value.detail
