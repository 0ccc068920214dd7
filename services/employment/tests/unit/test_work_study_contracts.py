"""Work-study contracts: signed → active → completed | broken, and one running contract per person."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from employment_service.domain.contract import WorkStudyContract
from employment_service.domain.employer import Establishment
from employment_service.domain.errors import ActiveContractExists, IllegalTransition, InvalidValue, Unprocessable
from employment_service.domain.events import ContractEnded, ContractSigned
from employment_service.domain.person_path import PersonPath
from employment_service.domain.vocabulary import BreakingParty, BreakReason, ContractStatus, ContractType

PERSON = UUID("00000000-0000-4000-8000-000000000001")
START = date(2026, 4, 1)
TRIAL_END = date(2026, 5, 15)


def sign(
    establishment: Establishment,
    now: datetime,
    existing: list[WorkStudyContract] | None = None,
    person: UUID = PERSON,
    **changes: object,
) -> WorkStudyContract:
    fields: dict[str, object] = {
        "path": PersonPath(person, step=4),
        "establishment": establishment,
        "contract_type": ContractType.PROFESSIONALISATION,
        "starts_on": START,
        "planned_end_on": date(2027, 3, 31),
        "hours_per_week": Decimal("35"),
        "tutor_ref": "EMP-0042",
        "trial_ends_on": TRIAL_END,
        "contracts_of_person": existing or [],
        "at": now,
    }
    fields.update(changes)
    contract, _ = WorkStudyContract.sign(**fields)  # type: ignore[arg-type]
    return contract


def test_signing_announces_the_contract_with_codes_dates_and_hours(establishment: Establishment, now: datetime) -> None:
    contract, [signed] = WorkStudyContract.sign(
        path=PersonPath(PERSON, step=3),
        establishment=establishment,
        contract_type=ContractType.APPRENTICESHIP,
        starts_on=START,
        planned_end_on=date(2027, 3, 31),
        hours_per_week=Decimal("35"),
        tutor_ref="EMP-0042",
        trial_ends_on=TRIAL_END,
        contracts_of_person=[],
        at=now,
    )
    assert contract.status is ContractStatus.SIGNED
    assert isinstance(signed, ContractSigned)
    assert (signed.employer_id, signed.establishment_id) == (establishment.employer_id, establishment.id)
    assert not hasattr(signed, "tutor_ref")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("planned_end_on", START),
        ("trial_ends_on", date(2026, 3, 31)),
        ("trial_ends_on", date(2027, 3, 31)),
        ("hours_per_week", Decimal("50")),
        ("tutor_ref", "Jean Dupont"),
    ],
)
def test_a_contract_with_impossible_dates_hours_or_tutor_is_refused(
    establishment: Establishment, now: datetime, field: str, value: object
) -> None:
    overrides: dict[str, Any] = {field: value}
    with pytest.raises(InvalidValue) as refused:
        sign(establishment, now, **overrides)
    assert refused.value.field == field


def test_a_contract_runs_from_signed_to_active_to_completed(establishment: Establishment, now: datetime) -> None:
    contract = sign(establishment, now)
    contract.start(START, now)
    [ended] = contract.complete(date(2027, 3, 31), now)
    assert contract.status is ContractStatus.COMPLETED
    assert isinstance(ended, ContractEnded)
    assert (ended.status, ended.broken_by, ended.during_trial) == (ContractStatus.COMPLETED, None, None)


@pytest.mark.parametrize(("ended_on", "during_trial"), [(date(2026, 5, 15), True), (date(2026, 5, 16), False)])
def test_a_break_says_whether_the_trial_period_was_still_running(
    establishment: Establishment, now: datetime, ended_on: date, during_trial: bool
) -> None:
    contract = sign(establishment, now)
    contract.start(START, now)
    [ended] = contract.break_off(ended_on, BreakingParty.EMPLOYEE, BreakReason.RESIGNATION, now)
    assert isinstance(ended, ContractEnded)
    assert contract.status is ContractStatus.BROKEN
    assert (ended.broken_by, ended.break_reason, ended.during_trial) == (
        BreakingParty.EMPLOYEE,
        BreakReason.RESIGNATION,
        during_trial,
    )


def test_a_contract_never_started_can_be_broken_within_its_trial(establishment: Establishment, now: datetime) -> None:
    contract = sign(establishment, now)
    contract.break_off(START, BreakingParty.MUTUAL, BreakReason.MUTUAL_AGREEMENT, now)
    assert contract.breach is not None
    assert contract.breach.during_trial


def test_a_signed_contract_cannot_be_completed_and_an_ended_one_cannot_change(
    establishment: Establishment, now: datetime
) -> None:
    contract = sign(establishment, now)
    with pytest.raises(IllegalTransition) as refused:
        contract.complete(date(2027, 3, 31), now)
    assert refused.value.details()["allowed"] == ["start", "break"]
    contract.start(START, now)
    contract.complete(date(2027, 3, 31), now)
    attempts: list[Callable[[], object]] = [
        lambda: contract.start(START, now),
        lambda: contract.break_off(date(2027, 4, 1), BreakingParty.EMPLOYER, BreakReason.DISMISSAL, now),
    ]
    for attempt in attempts:
        with pytest.raises(IllegalTransition):
            attempt()


def test_a_contract_cannot_start_before_its_start_date_nor_end_before_it_started(
    establishment: Establishment, now: datetime
) -> None:
    contract = sign(establishment, now)
    with pytest.raises(InvalidValue):
        contract.start(date(2026, 3, 31), now)
    contract.start(date(2026, 4, 7), now)
    with pytest.raises(InvalidValue):
        contract.break_off(date(2026, 4, 6), BreakingParty.EMPLOYER, BreakReason.OTHER, now)


@pytest.mark.parametrize("started", [False, True])
def test_a_person_has_one_running_contract_at_a_time(
    establishment: Establishment, now: datetime, started: bool
) -> None:
    first = sign(establishment, now)
    if started:
        first.start(START, now)
    with pytest.raises(ActiveContractExists) as refused:
        sign(establishment, now, existing=[first])
    assert refused.value.category == "conflict"
    assert refused.value.details() == {"beneficiary_id": str(PERSON), "contract_id": str(first.id)}


def test_a_new_contract_may_be_signed_once_the_last_one_has_ended(establishment: Establishment, now: datetime) -> None:
    first = sign(establishment, now)
    first.start(START, now)
    first.break_off(date(2026, 4, 20), BreakingParty.EMPLOYER, BreakReason.TRIAL_NOT_CONCLUSIVE, now)
    second = sign(establishment, now, existing=[first], starts_on=date(2026, 5, 1))
    assert second.status is ContractStatus.SIGNED


def test_another_persons_running_contract_does_not_stop_a_signature(
    establishment: Establishment, now: datetime
) -> None:
    theirs = sign(establishment, now, person=uuid4())
    assert sign(establishment, now, existing=[theirs]).beneficiary_id == PERSON


@pytest.mark.parametrize("step", [None, 1, 2])
def test_no_contract_is_signed_before_step_3(establishment: Establishment, now: datetime, step: int | None) -> None:
    with pytest.raises(Unprocessable) as refused:
        sign(establishment, now, path=PersonPath(PERSON, step=step))
    assert refused.value.details() == {"rule": "step_3_or_4_required"}


def test_no_contract_is_signed_for_someone_who_left_the_path(establishment: Establishment, now: datetime) -> None:
    path = PersonPath(PERSON, step=4)
    path.withdrawn("moved_away", 4, date(2026, 3, 1))
    with pytest.raises(Unprocessable):
        sign(establishment, now, path=path)
