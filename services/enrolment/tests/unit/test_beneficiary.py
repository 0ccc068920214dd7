from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from enrolment_service.domain.actor import Actor
from enrolment_service.domain.beneficiary import Beneficiary, ConsentRecord, Identity
from enrolment_service.domain.errors import AlreadyErased, InvalidValue
from enrolment_service.domain.events import BeneficiaryErased, BeneficiaryRegistered, ConsentChanged
from enrolment_service.domain.pathway import Transition
from enrolment_service.domain.vocabulary import ConsentPurpose, PathwayStatus, ProtectionStatus, Track

MakeIdentity = Callable[..., Identity]
BENEFICIARY_ID = UUID("00000000-0000-4000-8000-0000000000b7")


def register(identity: Identity, actor: Actor, at: datetime) -> Beneficiary:
    beneficiary, _ = Beneficiary.register(
        beneficiary_id=BENEFICIARY_ID, identity=identity, track=Track.INDIVIDUAL, actor=actor, at=at
    )
    return beneficiary


def test_registration(identity: MakeIdentity, ofii: Actor, now: datetime) -> None:
    person = identity(protection_status=ProtectionStatus.SUBSIDIARY_PROTECTION)
    beneficiary, registered = Beneficiary.register(
        beneficiary_id=BENEFICIARY_ID, identity=person, track=Track.INDIVIDUAL, actor=ofii, at=now
    )
    assert registered == BeneficiaryRegistered(
        beneficiary_id=BENEFICIARY_ID,
        track=Track.INDIVIDUAL,
        protection_status=ProtectionStatus.SUBSIDIARY_PROTECTION,
        registered_by_org_id=ofii.org_id,
        occurred_at=now,
    )
    assert beneficiary.identity == person
    assert beneficiary.registered_at == now
    assert beneficiary.registered_by_org_id == ofii.org_id
    assert beneficiary.pathway.beneficiary_id == BENEFICIARY_ID
    assert beneficiary.pathway.status is PathwayStatus.REGISTERED
    assert beneficiary.pathway.history == [
        Transition(None, PathwayStatus.REGISTERED, now, ofii.subject, ofii.org_id, None)
    ]


def test_registration_checks_the_age_on_the_day(identity: MakeIdentity, ofii: Actor, now: datetime) -> None:
    with pytest.raises(InvalidValue) as refused:
        register(identity(birth_date=date(2010, 1, 1)), ofii, now)
    assert refused.value.field == "birth_date"


def test_consent_follows_the_latest_record(identity: MakeIdentity, ofii: Actor, akto: Actor, now: datetime) -> None:
    beneficiary = register(identity(), ofii, now)
    purpose = ConsentPurpose.DATA_SHARING_WITH_PARTNERS
    assert not beneficiary.has_consent(purpose)

    given, _ = beneficiary.record_consent(purpose, True, ofii, now)
    assert given == ConsentRecord(purpose, True, now, ofii)
    assert beneficiary.has_consent(purpose)
    assert not beneficiary.has_consent(ConsentPurpose.EMPLOYER_CONTACT)

    beneficiary.record_consent(purpose, False, akto, now + timedelta(days=3))
    assert not beneficiary.has_consent(purpose)

    beneficiary.record_consent(purpose, True, akto, now + timedelta(days=1))  # recorded late, happened earlier
    assert not beneficiary.has_consent(purpose)
    assert len(beneficiary.consents) == 3


def test_erasure_drops_identity_and_keeps_the_path(
    identity: MakeIdentity, ofii: Actor, akto: Actor, now: datetime
) -> None:
    beneficiary = register(identity(), ofii, now)
    beneficiary.pathway.start_prerequisites(ofii, now)
    beneficiary.record_consent(ConsentPurpose.PROGRAMME_PARTICIPATION, True, ofii, now)
    erased_at = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

    assert beneficiary.erase(akto, erased_at) == [
        BeneficiaryErased(beneficiary_id=BENEFICIARY_ID, occurred_at=erased_at)
    ]
    assert beneficiary.identity is None
    assert beneficiary.is_erased
    assert beneficiary.erased_at == erased_at
    assert beneficiary.erased_by == akto
    assert beneficiary.pathway.status is PathwayStatus.PREREQUISITES
    assert len(beneficiary.pathway.history) == 2
    assert len(beneficiary.consents) == 1

    assert beneficiary.erase(akto, erased_at + timedelta(days=1)) == []
    assert beneficiary.erased_at == erased_at
    with pytest.raises(AlreadyErased):
        beneficiary.record_consent(ConsentPurpose.PROGRAMME_PARTICIPATION, True, akto, erased_at)


def test_partners_hear_a_consent_only_when_the_one_in_force_changes(
    identity: MakeIdentity, ofii: Actor, akto: Actor, now: datetime
) -> None:
    beneficiary = register(identity(), ofii, now)
    purpose = ConsentPurpose.DATA_SHARING_WITH_PARTNERS
    later = now + timedelta(days=2)

    assert beneficiary.record_consent(purpose, False, ofii, now)[1] == []  # no consent before, none now
    assert beneficiary.record_consent(purpose, True, ofii, now)[1] == [
        ConsentChanged(beneficiary_id=BENEFICIARY_ID, purpose=purpose, given=True, occurred_at=now)
    ]
    assert beneficiary.record_consent(purpose, True, akto, now)[1] == []  # the same again
    assert beneficiary.record_consent(purpose, False, akto, later)[1] == [
        ConsentChanged(beneficiary_id=BENEFICIARY_ID, purpose=purpose, given=False, occurred_at=later)
    ]


@pytest.mark.parametrize("given", [True, False])
def test_a_consent_to_health_support_is_never_published(
    identity: MakeIdentity, ofii: Actor, now: datetime, given: bool
) -> None:
    beneficiary = register(identity(), ofii, now)
    beneficiary.record_consent(ConsentPurpose.HEALTH_SUPPORT, not given, ofii, now)

    _, events = beneficiary.record_consent(ConsentPurpose.HEALTH_SUPPORT, given, ofii, now + timedelta(days=1))

    assert events == []
    assert beneficiary.has_consent(ConsentPurpose.HEALTH_SUPPORT) is given
