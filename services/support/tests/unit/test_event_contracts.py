"""Every domain event maps field for field onto its published contract, and health cannot be published."""

import dataclasses
from datetime import UTC, date, datetime
from uuid import uuid4

import pydantic
import pytest

from hope_contracts import support as contracts
from support_service.domain import events
from support_service.domain.vocabulary import EndReason, NeedCategory, NeedStatus, Partner

AT = datetime(2025, 9, 15, tzinfo=UTC)
IDS = {"file_id", "beneficiary_id", "support_org_id", "cohort_id", "need_id", "referral_id", "placement_id"}
IDS |= {"residence_id", "bed_id"}

SAMPLES: list[events.DomainEvent] = [
    events.SupportFileOpened(
        file_id=uuid4(), beneficiary_id=uuid4(), support_org_id=uuid4(), cohort_id=None, occurred_at=AT
    ),
    events.SupportFileClosed(
        file_id=uuid4(),
        beneficiary_id=uuid4(),
        support_org_id=uuid4(),
        end_reason=EndReason.TRANSFERRED,
        occurred_at=AT,
    ),
    events.NeedOpened(
        need_id=uuid4(), file_id=uuid4(), beneficiary_id=uuid4(), category=NeedCategory.CIVIC, occurred_at=AT
    ),
    events.NeedResolved(
        need_id=uuid4(),
        file_id=uuid4(),
        beneficiary_id=uuid4(),
        category=NeedCategory.HOUSING,
        outcome=NeedStatus.ABANDONED,
        occurred_at=AT,
    ),
    events.ReferralMade(
        referral_id=uuid4(),
        file_id=uuid4(),
        beneficiary_id=uuid4(),
        partner=Partner.CAF,
        shares_information=True,
        occurred_at=AT,
    ),
    events.HousingAssigned(
        placement_id=uuid4(),
        beneficiary_id=uuid4(),
        residence_id=uuid4(),
        bed_id=uuid4(),
        starts_on=date(2025, 9, 15),
        ends_on=date(2025, 10, 15),
        occurred_at=AT,
    ),
    events.HousingReleased(
        placement_id=uuid4(),
        beneficiary_id=uuid4(),
        residence_id=uuid4(),
        bed_id=uuid4(),
        released_on=date(2025, 10, 1),
        occurred_at=AT,
    ),
    events.MealsEntitled(
        beneficiary_id=uuid4(), month=date(2025, 10, 1), breakfasts=5, lunches=23, dinners=5, occurred_at=AT
    ),
]


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_each_domain_event_becomes_its_contract_with_the_same_fields(event: events.DomainEvent) -> None:
    contract = getattr(contracts, type(event).__name__)
    payload = contract.model_validate(dataclasses.asdict(event))
    assert set(contract.model_fields) == {f.name for f in dataclasses.fields(event)}
    assert payload.model_dump(mode="json") == pydantic.TypeAdapter(type(event)).dump_python(event, mode="json")
    assert contract.topic() == "hope.support.events"


def test_a_medical_category_cannot_be_put_in_a_need_event() -> None:
    for contract in (contracts.NeedOpened, contracts.NeedResolved):
        with pytest.raises(pydantic.ValidationError):
            contract.model_validate(
                {
                    "need_id": uuid4(),
                    "file_id": uuid4(),
                    "beneficiary_id": uuid4(),
                    "category": "medical",
                    "outcome": "resolved",
                    "occurred_at": AT,
                }
            )


def test_a_health_centre_cannot_be_named_in_a_referral_event() -> None:
    with pytest.raises(pydantic.ValidationError):
        contracts.ReferralMade(
            referral_id=uuid4(),
            file_id=uuid4(),
            beneficiary_id=uuid4(),
            partner="health_centre",
            shares_information=False,
            occurred_at=AT,
        )


def test_every_published_partner_and_category_is_one_the_domain_knows() -> None:
    published_categories = set(contracts.PublishedNeedCategory.__args__)
    assert published_categories == {c.value for c in NeedCategory} - {"medical"}
    assert set(contracts.PublishedPartner.__args__) == {p.value for p in Partner} - {"health_centre"}
    assert set(contracts.EndReason.__args__) == {r.value for r in EndReason}
