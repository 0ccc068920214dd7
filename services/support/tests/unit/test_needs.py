from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest

from support_service.domain.errors import IllegalTransition, InvalidValue, UnknownNeedCode
from support_service.domain.events import NeedOpened, NeedResolved
from support_service.domain.need import Action, Need
from support_service.domain.taxonomy import NEED_CODES, category_of, codes_in
from support_service.domain.vocabulary import ActionType, NeedCategory, NeedStatus, Partner, Priority

PERSON = UUID("00000000-0000-4000-8000-000000000001")
FILE = UUID("00000000-0000-4000-8000-0000000000f1")


def identify(worker, now, code: str = "administrative.residence_permit", due_on: date | None = None):
    return Need.identify(
        need_id=uuid4(),
        file_id=FILE,
        beneficiary_id=PERSON,
        code=code,
        priority=Priority.HIGH,
        due_on=due_on,
        actor=worker,
        at=now,
    )


def an_action(worker, now, on: date, follow_up_on: date | None = None, minutes: int = 45) -> Action:
    return Action(uuid4(), ActionType.APPOINTMENT, on, minutes, Partner.CAF, follow_up_on, worker.subject, now)


def test_every_category_has_codes_and_every_code_names_its_category() -> None:
    for category in NeedCategory:
        assert codes_in(category)
        assert all(category_of(code) is category for code in codes_in(category))
    assert "administrative.health_insurance" in NEED_CODES
    assert "professional.driving_licence" in NEED_CODES


def test_a_code_outside_the_taxonomy_is_refused_without_repeating_it(worker, now) -> None:
    with pytest.raises(UnknownNeedCode) as refused:
        identify(worker, now, code="medical.hiv_treatment")
    assert "hiv" not in str(refused.value.details())
    assert refused.value.category == "invalid"


def test_a_need_is_announced_by_its_category_only(worker, now) -> None:
    need, events = identify(worker, now)
    assert need.status is NeedStatus.IDENTIFIED
    assert events == [
        NeedOpened(
            need_id=need.id, file_id=FILE, beneficiary_id=PERSON, category=NeedCategory.ADMINISTRATIVE, occurred_at=now
        )
    ]


def test_a_need_goes_in_progress_then_resolved_and_the_resolution_is_announced(worker, now) -> None:
    need, _ = identify(worker, now)
    need.start(worker, now)
    events = need.resolve(worker, now + timedelta(days=3))
    assert need.status is NeedStatus.RESOLVED
    assert [type(e) for e in events] == [NeedResolved]
    assert events[0].outcome is NeedStatus.RESOLVED
    assert events[0].category is NeedCategory.ADMINISTRATIVE
    assert [h.to_status for h in need.history] == [NeedStatus.IDENTIFIED, NeedStatus.IN_PROGRESS, NeedStatus.RESOLVED]


def test_an_identified_need_can_be_abandoned_and_that_is_announced_as_abandoned(worker, now) -> None:
    need, _ = identify(worker, now)
    events = need.abandon(worker, now)
    assert need.status is NeedStatus.ABANDONED
    assert events[0].outcome is NeedStatus.ABANDONED


@pytest.mark.parametrize("closing", ["resolve", "abandon"])
def test_a_closed_need_cannot_start_close_again_or_take_actions(worker, now, closing) -> None:
    need, _ = identify(worker, now)
    getattr(need, closing)(worker, now)
    for attempt in (need.start, need.resolve, need.abandon):
        with pytest.raises(IllegalTransition):
            attempt(worker, now)
    with pytest.raises(IllegalTransition):
        need.record_action(an_action(worker, now, now.date()))


def test_a_need_in_progress_cannot_be_started_again(worker, now) -> None:
    need, _ = identify(worker, now)
    need.start(worker, now)
    with pytest.raises(IllegalTransition) as refused:
        need.start(worker, now)
    assert refused.value.allowed == ("resolve", "abandon")


def test_a_medical_need_is_announced_nowhere_from_opening_to_resolution(worker, now) -> None:
    need, opened = identify(worker, now, code="medical.mental_health")
    need.start(worker, now)
    assert need.is_medical
    assert opened == []
    assert need.resolve(worker, now) == []


def test_a_medical_need_abandoned_is_announced_nowhere_either(worker, now) -> None:
    need, _ = identify(worker, now, code="medical.care_access")
    assert need.abandon(worker, now) == []


def test_a_need_is_overdue_only_while_open_and_past_its_due_date(worker, now) -> None:
    due = now.date() + timedelta(days=5)
    need, _ = identify(worker, now, due_on=due)
    assert not need.is_overdue(due)
    assert need.is_overdue(due + timedelta(days=1))
    need.resolve(worker, now)
    assert not need.is_overdue(due + timedelta(days=1))


def test_a_due_date_in_the_past_is_refused(worker, now) -> None:
    with pytest.raises(InvalidValue):
        identify(worker, now, due_on=now.date() - timedelta(days=1))


def test_follow_ups_due_this_week_are_found_among_the_actions(worker, now) -> None:
    need, _ = identify(worker, now)
    today = now.date()
    need.record_action(an_action(worker, now, today, follow_up_on=today + timedelta(days=2)))
    need.record_action(an_action(worker, now, today, follow_up_on=today + timedelta(days=12)))
    need.record_action(an_action(worker, now, today))
    due = need.follow_ups_between(today, today + timedelta(days=6))
    assert [a.follow_up_on for a in due] == [today + timedelta(days=2)]


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_an_action_needs_a_plausible_duration(worker, now, minutes) -> None:
    with pytest.raises(InvalidValue):
        an_action(worker, now, now.date(), minutes=minutes)


def test_a_follow_up_cannot_come_before_the_action(worker, now) -> None:
    with pytest.raises(InvalidValue):
        an_action(worker, now, now.date(), follow_up_on=now.date() - timedelta(days=1))
