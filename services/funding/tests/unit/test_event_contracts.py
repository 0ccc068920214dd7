"""The funding service's event contracts: amounts as decimal strings, keys per person, no identity."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import get_args
from uuid import UUID

import pytest
from pydantic import ValidationError

from funding_service.domain.vocabulary import ClaimReason, CostType, FunderKind, Unit
from hope_contracts import funding
from hope_contracts.asyncapi import service_document
from hope_contracts.base import CATALOGUE
from hope_contracts.funding import (
    ClaimRejected,
    CommitmentMade,
    ConsumptionEntry,
    ConsumptionRecorded,
    FunderPart,
    PaymentIssued,
    SupportCostEntry,
    SupportCostRecorded,
)

ANNA = UUID("00000000-0000-4000-8000-000000000001")
FUNDER = UUID("00000000-0000-4000-8000-0000000000f1")
AGREEMENT = UUID("00000000-0000-4000-8000-0000000000a1")
LINE = UUID("00000000-0000-4000-8000-00000000001a")
SESSION = UUID("00000000-0000-4000-8000-0000000000e1")
NOW = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def a_commitment() -> CommitmentMade:
    return CommitmentMade(
        commitment_id=UUID("00000000-0000-4000-8000-0000000000d1"),
        beneficiary_id=ANNA,
        step=3,
        cost_type="training_hours",
        planned_quantity=Decimal("400.00"),
        total_amount=Decimal("5000.00"),
        parts=(FunderPart(funder_id=FUNDER, agreement_id=AGREEMENT, budget_line_id=LINE, amount=Decimal("5000.00")),),
        occurred_at=NOW,
    )


def test_every_funding_event_is_catalogued_on_the_funding_topic() -> None:
    funding = {t: c for t, c in CATALOGUE.items() if t.startswith("fr.hope.funding.")}
    assert len(funding) == 9
    assert {c.topic() for c in funding.values()} == {"hope.funding.events"}


def test_amounts_travel_as_decimal_strings_with_two_places() -> None:
    payload = json.loads(a_commitment().model_dump_json())
    assert payload["total_amount"] == "5000.00"
    assert payload["parts"][0]["amount"] == "5000.00"


def test_a_commitment_is_keyed_by_the_person_and_a_sheet_s_consumption_by_the_session() -> None:
    assert a_commitment().partition_key() == str(ANNA)
    consumption = ConsumptionRecorded(
        session_id=SESSION,
        course_id=UUID("00000000-0000-4000-8000-0000000000c9"),
        step=3,
        held_on=date(2025, 9, 1),
        source_event_id=UUID("00000000-0000-4000-8000-0000000000ee"),
        entries=(
            ConsumptionEntry(
                beneficiary_id=ANNA,
                funder_id=FUNDER,
                agreement_id=AGREEMENT,
                budget_line_id=LINE,
                funded_hours=Decimal("3.00"),
                amount=Decimal("-50.00"),
            ),
        ),
        occurred_at=NOW,
    )
    assert consumption.partition_key() == str(SESSION)
    assert consumption.subject() == str(SESSION)


@pytest.mark.parametrize("amount", ["12.345", "0", "-1.00"])
def test_a_payment_of_a_fraction_of_a_cent_or_of_nothing_is_not_a_valid_event(amount: str) -> None:
    with pytest.raises(ValidationError):
        PaymentIssued(
            claim_id=UUID("00000000-0000-4000-8000-0000000000d1"),
            agreement_id=AGREEMENT,
            funder_id=FUNDER,
            paid_on=date(2025, 11, 5),
            amount=Decimal(amount),
            occurred_at=NOW,
        )


def test_a_payment_event_carries_no_partner_reference_even_when_given_one() -> None:
    issued = PaymentIssued(
        claim_id=UUID("00000000-0000-4000-8000-0000000000d1"),
        agreement_id=AGREEMENT,
        funder_id=FUNDER,
        payment_reference="paid by Mr Smith",  # extra fields are ignored, never published
        paid_on=date(2025, 11, 5),
        amount=Decimal("1.00"),
        occurred_at=NOW,
    )
    assert "Smith" not in issued.model_dump_json()


def test_a_rejection_reason_outside_the_closed_list_is_not_a_valid_event() -> None:
    with pytest.raises(ValidationError, match="reason_code"):
        ClaimRejected(
            claim_id=UUID("00000000-0000-4000-8000-0000000000d1"),
            agreement_id=AGREEMENT,
            funder_id=FUNDER,
            rejected_on=date(2025, 11, 5),
            reason_code="pregnancy_tuberculosis",
            claimed_amount=Decimal("1.00"),
            occurred_at=NOW,
        )


@pytest.mark.parametrize(
    ("published", "domain"),
    [
        (funding.FunderKind, FunderKind),
        (funding.CostType, CostType),
        (funding.Unit, Unit),
        (funding.ClaimReason, ClaimReason),
    ],
    ids=["funder_kind", "cost_type", "unit", "claim_reason"],
)
def test_the_published_closed_lists_are_the_domain_s_vocabulary(published: object, domain: type[StrEnum]) -> None:
    assert set(get_args(published)) == {member.value for member in domain}


def a_support_cost(amount: str = "-90.00", units: str = "3") -> SupportCostRecorded:
    return SupportCostRecorded(
        source_id=UUID("00000000-0000-4000-8000-0000000000b1"),
        beneficiary_id=ANNA,
        cost_type="housing_night",
        units=Decimal(units),
        source_event_id=UUID("00000000-0000-4000-8000-0000000000ee"),
        entries=(
            SupportCostEntry(
                funder_id=FUNDER,
                agreement_id=AGREEMENT,
                budget_line_id=LINE,
                held_on=date(2026, 2, 1),
                amount=Decimal(amount),
            ),
        ),
        occurred_at=NOW,
    )


def test_a_support_cost_is_keyed_by_the_person_and_gives_back_as_a_negative_amount() -> None:
    recorded = a_support_cost()
    assert recorded.event_type in CATALOGUE
    assert recorded.topic() == "hope.funding.events"
    assert recorded.partition_key() == str(ANNA)
    payload = json.loads(recorded.model_dump_json())
    assert (payload["units"], payload["entries"][0]["amount"]) == ("3", "-90.00")
    assert payload["entries"][0]["held_on"] == "2026-02-01"
    assert set(payload) == {
        "source_id",
        "beneficiary_id",
        "cohort_id",
        "cost_type",
        "units",
        "source_event_id",
        "entries",
        "occurred_at",
    }, "ids, a code, units and amounts: nothing about the person"


@pytest.mark.parametrize(("amount", "units"), [("12.345", "3"), ("1.00", "-1"), ("1.00", "0.125")])
def test_a_support_cost_of_a_fraction_of_a_cent_or_of_negative_units_is_not_a_valid_event(
    amount: str, units: str
) -> None:
    with pytest.raises(ValidationError):
        a_support_cost(amount, units)


def test_funding_s_asyncapi_document_lists_the_support_cost_it_sends() -> None:
    document = service_document("funding")
    sent = document["operations"]["send_hope_funding_events"]["messages"]
    name = "fr_hope_funding_support_cost_recorded_v1"
    assert {"$ref": f"#/channels/hope_funding_events/messages/{name}"} in sent
    message = document["components"]["messages"][name]
    assert message["title"] == "SupportCostRecorded"
    assert {"source_id", "units", "entries"} <= set(message["payload"]["properties"])
