"""The certificate of completion's figures, and the money view's."""

from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from funding_service.domain.certificate import CertificateOfCompletion, TrainingAction
from funding_service.domain.consumption import PersonHours, SessionMark
from funding_service.domain.errors import InvalidValue
from funding_service.domain.ledger import AccountKey
from funding_service.domain.money_view import MoneyView
from funding_service.domain.vocabulary import AttendanceStatus, Stage

ANNA = UUID("00000000-0000-4000-8000-000000000001")
LINE = UUID("00000000-0000-4000-8000-00000000001a")
ACTION = TrainingAction(
    course_id=UUID("00000000-0000-4000-8000-0000000000c9"),
    step=3,
    title="POEC Français langue professionnelle - logistique",
    provider_org_id=UUID("00000000-0000-4000-8000-00000000b001"),
    provider_name="Organisme de formation Exemple",
)


def test_a_certificate_states_the_dates_and_the_hours_present_excused_and_unexcused() -> None:
    anna = PersonHours(ANNA, Decimal(400))
    sessions = [
        (date(2025, 9, 1), AttendanceStatus.PRESENT, "7"),
        (date(2025, 9, 2), AttendanceStatus.EXCUSED, "3"),
        (date(2025, 9, 3), AttendanceStatus.PRESENT, "6"),
        (date(2025, 9, 4), AttendanceStatus.UNEXCUSED, "0"),
    ]
    for number, (day, status, attended) in enumerate(sessions, start=1):
        session = UUID(f"00000000-0000-4000-8000-0000000000e{number}")
        anna.marks[session] = SessionMark(session, day, status, Decimal(attended), Decimal(7))
    certificate = CertificateOfCompletion.of(anna, ACTION)
    assert (certificate.first_day, certificate.last_day) == (date(2025, 9, 1), date(2025, 9, 4))
    assert certificate.hours_present == Decimal("16.00")
    assert certificate.hours_excused == Decimal("4.00")
    assert certificate.hours_unexcused == Decimal("8.00")
    assert certificate.hours_scheduled == Decimal("28.00")
    assert certificate.hours_planned == Decimal("400.00")


def test_a_certificate_needs_at_least_one_session() -> None:
    with pytest.raises(InvalidValue):
        CertificateOfCompletion.of(PersonHours(ANNA, Decimal(400)), ACTION)


def test_the_money_view_counts_what_reached_each_stage() -> None:
    def person(stage: Stage) -> AccountKey:
        return AccountKey.person(LINE, stage, ANNA)

    balances = {
        AccountKey.line(LINE, Stage.GRANTED): Decimal("-10400.00"),
        AccountKey.line(LINE, Stage.AVAILABLE): Decimal("5000.00"),
        person(Stage.COMMITTED): Decimal("3000.00"),
        person(Stage.CONSUMED): Decimal("1000.00"),
        person(Stage.CLAIMED): Decimal("500.00"),
        person(Stage.APPROVED): Decimal("200.00"),
        person(Stage.PAID): Decimal("250.00"),
        person(Stage.DISALLOWED): Decimal("50.00"),
        person(Stage.RELEASED): Decimal("400.00"),
    }
    view = MoneyView.of(balances, whole_lines=True)
    assert view == MoneyView(
        committed=Decimal("5000.00"),
        consumed=Decimal("2000.00"),
        claimed=Decimal("1000.00"),
        approved=Decimal("450.00"),
        paid=Decimal("250.00"),
        released=Decimal("400.00"),
        disallowed=Decimal("50.00"),
        available=Decimal("5000.00"),
    )


def test_the_view_from_totals_per_stage_equals_the_view_from_every_account() -> None:
    line, people = uuid4(), [uuid4(), uuid4()]
    balances = {
        AccountKey.line(line, Stage.AVAILABLE): Decimal("100.00"),
        AccountKey.person(line, Stage.COMMITTED, people[0]): Decimal("40.00"),
        AccountKey.person(line, Stage.CONSUMED, people[0]): Decimal("10.00"),
        AccountKey.person(line, Stage.CLAIMED, people[1]): Decimal("5.00"),
        AccountKey.person(line, Stage.PAID, people[1]): Decimal("2.50"),
        AccountKey.person(line, Stage.RELEASED, people[1]): Decimal("1.00"),
    }
    totals: dict[Stage, Decimal] = {}
    for key, balance in balances.items():
        totals[key.stage] = totals.get(key.stage, Decimal(0)) + balance
    for whole_lines in (True, False):
        assert MoneyView.of_totals(totals, whole_lines) == MoneyView.of(balances, whole_lines)
