from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from support_service.domain.errors import ConsentRequired, IllegalTransition, InvalidValue
from support_service.domain.referral import Referral
from support_service.domain.vocabulary import Partner, ReferralStatus

PERSON = UUID("00000000-0000-4000-8000-000000000001")
FILE = UUID("00000000-0000-4000-8000-0000000000f1")


def send(worker, now, partner=Partner.CAF, shares=True, consent=True, medical=False):
    return Referral.send(
        referral_id=uuid4(),
        file_id=FILE,
        beneficiary_id=PERSON,
        partner=partner,
        need_id=uuid4(),
        need_is_medical=medical,
        shares_information=shares,
        consent_recorded_on=now.date() if consent else None,
        actor=worker,
        at=now,
    )


def test_a_referral_sharing_information_needs_the_persons_consent(worker, now) -> None:
    with pytest.raises(ConsentRequired) as refused:
        send(worker, now, consent=False)
    assert refused.value.category == "unprocessable"


def test_a_referral_that_shares_nothing_needs_no_consent_and_is_announced(worker, now) -> None:
    referral, events = send(worker, now, shares=False, consent=False)
    assert referral.status is ReferralStatus.SENT
    assert [(e.partner, e.shares_information) for e in events] == [(Partner.CAF, False)]


def test_a_consent_dated_in_the_future_is_refused(worker, now) -> None:
    with pytest.raises(InvalidValue):
        Referral.send(
            referral_id=uuid4(),
            file_id=FILE,
            beneficiary_id=PERSON,
            partner=Partner.CAF,
            need_id=None,
            need_is_medical=False,
            shares_information=True,
            consent_recorded_on=now.date() + timedelta(days=1),
            actor=worker,
            at=now,
        )


@pytest.mark.parametrize(("partner", "medical"), [(Partner.HEALTH_CENTRE, False), (Partner.CPAM, True)])
def test_a_referral_about_health_is_announced_nowhere(worker, now, partner, medical) -> None:
    _, events = send(worker, now, partner=partner, medical=medical)
    assert events == []


def test_an_accepted_referral_is_done_and_a_refused_one_goes_no_further(worker, now) -> None:
    accepted, _ = send(worker, now)
    accepted.accept(worker, now)
    accepted.complete(worker, now)
    assert accepted.status is ReferralStatus.DONE
    assert [h.to_status for h in accepted.history] == [
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DONE,
    ]

    refused, _ = send(worker, now)
    refused.refuse(worker, now)
    for attempt in (refused.accept, refused.complete, refused.refuse):
        with pytest.raises(IllegalTransition):
            attempt(worker, now)


def test_a_sent_referral_cannot_be_done_before_it_is_accepted(worker, now) -> None:
    referral, _ = send(worker, now)
    with pytest.raises(IllegalTransition) as refused:
        referral.complete(worker, now)
    assert refused.value.allowed == ("accept", "refuse")
