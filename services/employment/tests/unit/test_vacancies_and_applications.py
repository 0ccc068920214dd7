"""Vacancies open → filled | closed; applications proposed → interview → accepted | refused | withdrawn, or
obsolete once the person is hired elsewhere."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from employment_service.domain.application import Application, hire
from employment_service.domain.employer import Establishment
from employment_service.domain.errors import IllegalTransition, InvalidValue, Unprocessable
from employment_service.domain.events import ApplicationDecided, VacancyPublished, VacancyStatusChanged
from employment_service.domain.person_path import PersonPath
from employment_service.domain.vacancy import Vacancy
from employment_service.domain.vocabulary import ApplicationStatus, ContractType, RefusalReason, VacancyStatus

PERSON = UUID("00000000-0000-4000-8000-000000000001")


def publish(establishment: Establishment, now: datetime, **changes: object) -> Vacancy:
    fields: dict[str, object] = {
        "establishment": establishment,
        "rome": "F1703",
        "sector_code": "construction",
        "positions": 2,
        "hours_per_week": Decimal("35"),
        "starts_on": now.date() + timedelta(days=30),
        "contract_type": ContractType.PROFESSIONALISATION,
        "at": now,
    }
    fields.update(changes)
    vacancy, _ = Vacancy.publish(**fields)  # type: ignore[arg-type]
    return vacancy


def on_path(person: UUID = PERSON) -> PersonPath:
    return PersonPath(person, step=3)


def at_interview(vacancy: Vacancy, person: UUID = PERSON) -> Application:
    application = Application.propose(vacancy, on_path(person))
    application.invite_to_interview()
    return application


def test_a_published_vacancy_is_placed_where_its_establishment_is(establishment: Establishment, now: datetime) -> None:
    vacancy, events = Vacancy.publish(
        establishment=establishment,
        rome="f1703",
        sector_code="construction",
        positions=3,
        hours_per_week=Decimal("35.5"),
        starts_on=date(2026, 4, 1),
        contract_type=ContractType.APPRENTICESHIP,
        at=now,
    )
    assert (vacancy.department_code, vacancy.region_code, vacancy.rome_code) == ("69", "84", "F1703")
    assert vacancy.status is VacancyStatus.OPEN
    assert vacancy.open_positions == 3
    published = events[0]
    assert isinstance(published, VacancyPublished)
    assert (published.region_code, published.hours_per_week) == ("84", Decimal("35.50"))


@pytest.mark.parametrize("hours", ["0", "0.99", "48.01", "49", "35.555", "NaN"])
def test_weekly_hours_outside_one_to_forty_eight_with_two_decimals_are_refused(
    establishment: Establishment, now: datetime, hours: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        publish(establishment, now, hours_per_week=Decimal(hours))
    assert refused.value.field == "hours_per_week"


@pytest.mark.parametrize("hours", ["1", "48", "24.75"])
def test_weekly_hours_from_one_to_forty_eight_are_accepted(
    establishment: Establishment, now: datetime, hours: str
) -> None:
    assert publish(establishment, now, hours_per_week=Decimal(hours)).hours_per_week == Decimal(hours)


@pytest.mark.parametrize(("field", "value"), [("positions", 0), ("starts_on", date(2026, 3, 9)), ("rome", "F17")])
def test_a_vacancy_without_positions_starting_in_the_past_or_with_a_bad_rome_code_is_refused(
    establishment: Establishment, now: datetime, field: str, value: object
) -> None:
    with pytest.raises(InvalidValue):
        publish(establishment, now, **{field: value})


def test_the_vacancy_is_filled_with_its_last_position_and_then_takes_no_one(
    establishment: Establishment, now: datetime
) -> None:
    vacancy = publish(establishment, now, positions=2)
    first, second = at_interview(vacancy), at_interview(vacancy, uuid4())
    assert not any(isinstance(e, VacancyStatusChanged) for e in hire(first, vacancy, [], now))
    events = hire(second, vacancy, [], now)
    assert VacancyStatusChanged(vacancy_id=vacancy.id, status=VacancyStatus.FILLED, occurred_at=now) in events
    assert vacancy.open_positions == 0
    with pytest.raises(IllegalTransition):
        Application.propose(vacancy, on_path(uuid4()))


def test_a_closed_vacancy_cannot_hire_or_be_closed_again(establishment: Establishment, now: datetime) -> None:
    vacancy = publish(establishment, now)
    application = at_interview(vacancy)
    vacancy.close(now)
    with pytest.raises(IllegalTransition):
        hire(application, vacancy, [], now)
    assert application.status is ApplicationStatus.INTERVIEW
    with pytest.raises(IllegalTransition):
        vacancy.close(now)


def test_a_person_is_accepted_only_after_an_interview(establishment: Establishment, now: datetime) -> None:
    vacancy = publish(establishment, now)
    application = Application.propose(vacancy, on_path())
    with pytest.raises(IllegalTransition) as refused:
        hire(application, vacancy, [], now)
    assert refused.value.details()["allowed"] == ["interview", "obsolete", "refused", "withdrawn"]
    assert vacancy.hired == 0


def test_hiring_makes_the_persons_other_open_applications_obsolete(establishment: Establishment, now: datetime) -> None:
    chosen, elsewhere, decided = publish(establishment, now), publish(establishment, now), publish(establishment, now)
    application = at_interview(chosen)
    waiting = Application.propose(elsewhere, on_path())
    refused = at_interview(decided)
    refused.refuse(RefusalReason.NO_SHOW, now)
    someone_else = Application.propose(elsewhere, on_path(uuid4()))
    events = hire(application, chosen, [application, waiting, refused, someone_else], now)
    assert application.status is ApplicationStatus.ACCEPTED
    assert waiting.status is ApplicationStatus.OBSOLETE
    assert refused.status is ApplicationStatus.REFUSED
    assert refused.refusal_reason is RefusalReason.NO_SHOW
    assert someone_else.status is ApplicationStatus.PROPOSED
    assert [e.status for e in events if isinstance(e, ApplicationDecided)] == ["accepted", "obsolete"]


@pytest.mark.parametrize("reason", list(RefusalReason))
def test_a_refusal_carries_its_reason_code(establishment: Establishment, now: datetime, reason: RefusalReason) -> None:
    application = Application.propose(publish(establishment, now), on_path())
    [decided] = application.refuse(reason, now)
    assert isinstance(decided, ApplicationDecided)
    assert (decided.status, decided.refusal_reason) == (ApplicationStatus.REFUSED, reason)


@pytest.mark.parametrize("final", ["refuse", "withdraw", "make_obsolete"])
def test_a_decided_application_cannot_be_decided_again(establishment: Establishment, now: datetime, final: str) -> None:
    application = at_interview(publish(establishment, now))
    application.withdraw(now)
    decisions: dict[str, Callable[[], object]] = {
        "refuse": lambda: application.refuse(RefusalReason.OTHER, now),
        "withdraw": lambda: application.withdraw(now),
        "make_obsolete": lambda: application.make_obsolete(now),
    }
    with pytest.raises(IllegalTransition) as refused:
        decisions[final]()
    assert refused.value.category == "conflict"
    assert application.status is ApplicationStatus.WITHDRAWN


def test_an_application_must_be_hired_through_its_own_vacancy(establishment: Establishment, now: datetime) -> None:
    application = at_interview(publish(establishment, now))
    with pytest.raises(InvalidValue):
        hire(application, publish(establishment, now), [], now)


def test_a_person_who_left_the_path_is_not_proposed(establishment: Establishment, now: datetime) -> None:
    path = on_path()
    path.withdrawn("employment_found", 3, now.date())
    with pytest.raises(Unprocessable) as refused:
        Application.propose(publish(establishment, now), path)
    assert refused.value.details() == {"rule": "person_not_on_path"}
