from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from support_service.domain.actor import Actor
from support_service.domain.errors import IllegalTransition, InvalidValue
from support_service.domain.events import SupportFileClosed
from support_service.domain.support_file import SupportFile
from support_service.domain.vocabulary import EndReason, FileStatus

PERSON = UUID("00000000-0000-4000-8000-000000000001")


@pytest.fixture
def opened(worker: Actor, afpa_id: UUID, now) -> SupportFile:
    support_file, _ = SupportFile.open(
        file_id=uuid4(), beneficiary_id=PERSON, support_org_id=afpa_id, cohort_id=None, actor=worker, at=now
    )
    return support_file


def test_opening_a_file_makes_it_active_and_announces_it_for_the_support_organisation(worker, afpa_id, now) -> None:
    file_id, cohort_id = uuid4(), uuid4()
    support_file, opened = SupportFile.open(
        file_id=file_id, beneficiary_id=PERSON, support_org_id=afpa_id, cohort_id=cohort_id, actor=worker, at=now
    )
    assert support_file.status is FileStatus.ACTIVE
    assert (opened.file_id, opened.beneficiary_id, opened.support_org_id, opened.cohort_id) == (
        file_id,
        PERSON,
        afpa_id,
        cohort_id,
    )
    assert support_file.history[0].from_status is None


def test_a_file_goes_on_hold_comes_back_and_closes_with_every_change_kept(opened, worker, now) -> None:
    opened.put_on_hold(worker, now + timedelta(days=1))
    opened.resume(worker, now + timedelta(days=2))
    closed = opened.close(EndReason.PATH_COMPLETED, worker, now + timedelta(days=3))

    assert opened.status is FileStatus.CLOSED
    assert opened.end_reason is EndReason.PATH_COMPLETED
    assert isinstance(closed, SupportFileClosed)
    assert closed.end_reason is EndReason.PATH_COMPLETED
    assert [(c.from_status, c.to_status) for c in opened.history] == [
        (None, FileStatus.ACTIVE),
        (FileStatus.ACTIVE, FileStatus.ON_HOLD),
        (FileStatus.ON_HOLD, FileStatus.ACTIVE),
        (FileStatus.ACTIVE, FileStatus.CLOSED),
    ]
    assert all(c.actor == worker.subject and c.actor_org_id == worker.org_id for c in opened.history)
    assert opened.history[-1].end_reason is EndReason.PATH_COMPLETED


def test_a_file_on_hold_can_be_closed(opened, worker, now) -> None:
    opened.put_on_hold(worker, now)
    opened.close(EndReason.LOST_CONTACT, worker, now)
    assert opened.status is FileStatus.CLOSED


@pytest.mark.parametrize("attempt", ["put_on_hold", "resume", "close"])
def test_a_closed_file_refuses_every_change_and_says_none_is_allowed(opened, worker, now, attempt) -> None:
    opened.close(EndReason.WITHDRAWN, worker, now)
    change = (
        (lambda: opened.close(EndReason.OTHER, worker, now))
        if attempt == "close"
        else (lambda: getattr(opened, attempt)(worker, now))
    )
    with pytest.raises(IllegalTransition) as refused:
        change()
    assert refused.value.allowed == ()
    assert refused.value.category == "conflict"
    assert len(opened.history) == 2


def test_an_active_file_cannot_be_resumed(opened, worker, now) -> None:
    with pytest.raises(IllegalTransition) as refused:
        opened.resume(worker, now)
    assert refused.value.allowed == ("put_on_hold", "close")


def test_the_referent_is_an_opaque_staff_reference_and_its_assignment_is_kept(opened, worker, now) -> None:
    opened.assign_referent("afpa-staff-0042", worker, now)
    assert opened.referent == "afpa-staff-0042"
    assert opened.history[-1].referent == "afpa-staff-0042"
    with pytest.raises(InvalidValue):
        opened.assign_referent("Marie Dupont", worker, now)


def test_a_naive_instant_is_refused(worker, afpa_id, now) -> None:
    with pytest.raises(InvalidValue):
        SupportFile.open(
            file_id=uuid4(),
            beneficiary_id=PERSON,
            support_org_id=afpa_id,
            cohort_id=None,
            actor=worker,
            at=now.replace(tzinfo=None),
        )
