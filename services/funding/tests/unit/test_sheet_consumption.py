"""Consumption per (person, session) is what the latest sheet says: a duplicate posts nothing, a
correction posts the difference."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from funding_service.domain.budget_line import AttendancePolicy
from funding_service.domain.consumption import ConsumptionDelta, PersonHours, PostedAmounts, SessionMark, apply_sheet
from funding_service.domain.errors import InvalidValue, LimitExceeded
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey, Ledger
from funding_service.domain.movements import claim_submission, sheet_consumption
from funding_service.domain.vocabulary import AttendanceStatus, Stage

LINE_STATE = UUID("00000000-0000-4000-8000-00000000001a")
LINE_REGION = UUID("00000000-0000-4000-8000-00000000001b")
ANNA = UUID("00000000-0000-4000-8000-000000000001")
BORIS = UUID("00000000-0000-4000-8000-000000000002")
MONDAY = UUID("00000000-0000-4000-8000-0000000000e1")
TUESDAY = UUID("00000000-0000-4000-8000-0000000000e2")
NO_EXCUSED = {LINE_STATE: AttendancePolicy(), LINE_REGION: AttendancePolicy()}
TEN_PERCENT_EXCUSED = {LINE_STATE: AttendancePolicy(Decimal("0.1")), LINE_REGION: AttendancePolicy(Decimal("0.1"))}


def mark(session: UUID, status: AttendanceStatus, attended: str, hours: str = "7", day: int = 1) -> SessionMark:
    return SessionMark(session, date(2025, 9, day), status, Decimal(attended), Decimal(hours))


def amounts(deltas: list[ConsumptionDelta]) -> dict[tuple[UUID, UUID], Decimal]:
    return {(d.reference_id, d.budget_line_id): d.amount for d in deltas}


def test_a_first_sheet_consumes_the_present_hours_split_between_funders(plan: FinancingPlan) -> None:
    anna = PersonHours(ANNA, Decimal(400))
    deltas = anna.record(mark(MONDAY, AttendanceStatus.PRESENT, "7"), MONDAY, plan, NO_EXCUSED)
    # 7 h x 12.50 € = 87.50 €: 61.25 € for the State, 26.25 € for the region.
    assert amounts(deltas) == {(MONDAY, LINE_STATE): Decimal("61.25"), (MONDAY, LINE_REGION): Decimal("26.25")}


def test_the_same_sheet_sent_again_posts_nothing(plan: FinancingPlan) -> None:
    anna = PersonHours(ANNA, Decimal(400))
    anna.record(mark(MONDAY, AttendanceStatus.PRESENT, "7"), MONDAY, plan, NO_EXCUSED)
    assert anna.record(mark(MONDAY, AttendanceStatus.PRESENT, "7"), MONDAY, plan, NO_EXCUSED) == []


def test_a_corrected_sheet_posts_only_the_difference(plan: FinancingPlan) -> None:
    anna = PersonHours(ANNA, Decimal(400))
    anna.record(mark(MONDAY, AttendanceStatus.PRESENT, "7"), MONDAY, plan, NO_EXCUSED)
    deltas = anna.record(mark(MONDAY, AttendanceStatus.UNEXCUSED, "3"), MONDAY, plan, NO_EXCUSED)
    # From 7 h to 3 h: 4 h x 12.50 € = 50 € given back, 35 € by the State and 15 € by the region.
    assert amounts(deltas) == {(MONDAY, LINE_STATE): Decimal("-35.00"), (MONDAY, LINE_REGION): Decimal("-15.00")}


def test_unexcused_hours_are_never_funded(plan: FinancingPlan) -> None:
    anna = PersonHours(ANNA, Decimal(400))
    assert anna.record(mark(MONDAY, AttendanceStatus.UNEXCUSED, "0"), MONDAY, plan, TEN_PERCENT_EXCUSED) == []


def test_excused_hours_are_funded_up_to_the_line_s_share_of_the_planned_hours(plan: FinancingPlan) -> None:
    # 10 % of 100 planned hours: 10 excused hours are funded, in the order of the sessions.
    anna = PersonHours(ANNA, Decimal(100))
    anna.record(mark(MONDAY, AttendanceStatus.EXCUSED, "0", hours="7", day=1), MONDAY, plan, TEN_PERCENT_EXCUSED)
    deltas = anna.record(
        mark(TUESDAY, AttendanceStatus.EXCUSED, "0", hours="7", day=2), TUESDAY, plan, TEN_PERCENT_EXCUSED
    )
    assert anna.funded_hours(TEN_PERCENT_EXCUSED[LINE_STATE]) == {MONDAY: Decimal(7), TUESDAY: Decimal(3)}
    assert sum(d.amount for d in deltas) == Decimal("37.50")


def test_correcting_an_earlier_excused_session_moves_the_allowance_to_a_later_one(plan: FinancingPlan) -> None:
    anna = PersonHours(ANNA, Decimal(100))
    anna.record(mark(MONDAY, AttendanceStatus.EXCUSED, "0", day=1), MONDAY, plan, TEN_PERCENT_EXCUSED)
    anna.record(mark(TUESDAY, AttendanceStatus.EXCUSED, "0", day=2), TUESDAY, plan, TEN_PERCENT_EXCUSED)
    # Monday turns out attended: its 7 h stay funded, and Tuesday's excused hours now fit the allowance.
    deltas = anna.record(mark(MONDAY, AttendanceStatus.PRESENT, "7", day=1), MONDAY, plan, TEN_PERCENT_EXCUSED)
    assert {ref for ref, _ in amounts(deltas)} == {TUESDAY}
    assert sum(d.amount for d in deltas) == Decimal("50.00")  # 4 more excused hours on Tuesday


def test_a_person_taken_off_a_corrected_sheet_gives_back_their_consumption(plan: FinancingPlan) -> None:
    anna, boris = PersonHours(ANNA, Decimal(400)), PersonHours(BORIS, Decimal(400))
    people = {ANNA: anna, BORIS: boris}
    first = {ANNA: mark(MONDAY, AttendanceStatus.PRESENT, "7"), BORIS: mark(MONDAY, AttendanceStatus.PRESENT, "7")}
    assert sum(d.amount for d in apply_sheet(MONDAY, first, people, plan, NO_EXCUSED)) == Decimal("175.00")
    assert apply_sheet(MONDAY, first, people, plan, NO_EXCUSED) == []
    corrected = {ANNA: first[ANNA]}
    deltas = apply_sheet(MONDAY, corrected, people, plan, NO_EXCUSED)
    assert {d.beneficiary_id for d in deltas} == {BORIS}
    assert sum(d.amount for d in deltas) == Decimal("-87.50")


def test_a_sheet_naming_a_person_whose_hours_are_not_loaded_is_refused(plan: FinancingPlan) -> None:
    with pytest.raises(InvalidValue):
        apply_sheet(MONDAY, {ANNA: mark(MONDAY, AttendanceStatus.PRESENT, "7")}, {}, plan, NO_EXCUSED)


def test_a_mark_cannot_attend_more_than_the_session(plan: FinancingPlan) -> None:
    with pytest.raises(InvalidValue):
        mark(MONDAY, AttendanceStatus.PRESENT, "7.5", hours="7")


def test_a_whole_sheet_posts_as_one_balanced_transaction_netted_per_person_and_line(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    anna, boris = PersonHours(ANNA, Decimal(400)), PersonHours(BORIS, Decimal(400))
    sheet = {ANNA: mark(MONDAY, AttendanceStatus.PRESENT, "7"), BORIS: mark(MONDAY, AttendanceStatus.PRESENT, "3.5")}
    deltas = apply_sheet(MONDAY, sheet, {ANNA: anna, BORIS: boris}, plan, NO_EXCUSED)
    posted = sheet_consumption(ledger, deltas, now, MONDAY)
    assert posted is not None
    ledger.post(posted)
    assert posted.balanced
    assert posted.total == Decimal("131.25")  # 10.5 h x 12.50
    assert ledger.balance(AccountKey.person(LINE_STATE, Stage.CONSUMED, ANNA)) == Decimal("61.25")
    assert (
        sheet_consumption(ledger, apply_sheet(MONDAY, sheet, {ANNA: anna, BORIS: boris}, plan, NO_EXCUSED), now, MONDAY)
        is None
    )


def test_a_correction_after_the_hours_were_claimed_is_refused_and_names_what_is_left(
    plan: FinancingPlan, funded_ledger: Callable[..., Ledger], now: datetime
) -> None:
    ledger = funded_ledger()
    anna = PersonHours(ANNA, Decimal(400))
    first = sheet_consumption(
        ledger, anna.record(mark(MONDAY, AttendanceStatus.PRESENT, "7"), MONDAY, plan, NO_EXCUSED), now, MONDAY
    )
    assert first is not None
    ledger.post(first)
    claimed = claim_submission({(ANNA, LINE_STATE): Decimal("61.25")}, now, UUID(int=1))
    assert claimed is not None
    ledger.post(claimed)
    correction = anna.record(mark(MONDAY, AttendanceStatus.UNEXCUSED, "0"), MONDAY, plan, NO_EXCUSED)
    with pytest.raises(LimitExceeded) as refused:
        ledger.post(sheet_consumption(ledger, correction, now, MONDAY))  # type: ignore[arg-type]
    assert refused.value.details()["stage"] == "consumed"
    assert refused.value.details()["available"] == "0.00"


def test_a_sheet_that_keeps_the_excused_hours_needs_only_its_own_session_loaded(plan: FinancingPlan) -> None:
    anna = PersonHours(ANNA, Decimal(100))
    anna.record(mark(MONDAY, AttendanceStatus.EXCUSED, "4", day=1), MONDAY, plan, TEN_PERCENT_EXCUSED)
    # What the service loads for the correction of Monday alone: that mark and what was posted for it.
    partial = PersonHours(ANNA, Decimal(100), marks={MONDAY: anna.marks[MONDAY]}, complete=False)
    partial.amounts = PostedAmounts(ANNA, dict(anna.amounts.posted), dict(anna.amounts.quantities))
    corrected = mark(MONDAY, AttendanceStatus.EXCUSED, "4", hours="7", day=1)
    assert not partial.needs_every_mark(MONDAY, corrected, TEN_PERCENT_EXCUSED)
    assert partial.record(corrected, MONDAY, plan, TEN_PERCENT_EXCUSED) == []
    more_present = mark(MONDAY, AttendanceStatus.EXCUSED, "5", hours="8", day=1)
    assert sum(d.amount for d in partial.record(more_present, MONDAY, plan, TEN_PERCENT_EXCUSED)) == Decimal("12.50")


def test_a_change_of_excused_hours_on_a_partial_load_is_refused_rather_than_guessed(plan: FinancingPlan) -> None:
    partial = PersonHours(ANNA, Decimal(100), complete=False)
    excused = mark(MONDAY, AttendanceStatus.EXCUSED, "0")
    assert partial.needs_every_mark(MONDAY, excused, TEN_PERCENT_EXCUSED)
    with pytest.raises(InvalidValue, match="load every mark"):
        partial.record(excused, MONDAY, plan, TEN_PERCENT_EXCUSED)
    assert not partial.needs_every_mark(MONDAY, excused, NO_EXCUSED)
