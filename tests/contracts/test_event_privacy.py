"""Every published event contract carries no direct identifier and nothing about health (DESIGN.md §5).

The rule is ``hope_contracts.privacy``: UUIDs, dates and instants, numbers, booleans, values from a closed list
(Literal or Enum) with no health-revealing value, and strings of a strict format only. Field names that smell
of identity or health are refused even with an allowed type. A failure says what to change.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Literal
from uuid import UUID

import pytest
from pydantic import Field

import hope_contracts
from hope_contracts import CATALOGUE, Code, EventContract
from hope_contracts.privacy import problems, reveals_health

CONTRACTS = sorted(CATALOGUE.values(), key=lambda c: c.event_type)


def test_the_catalogue_holds_every_service_contract() -> None:
    assert hope_contracts.enrolment.BeneficiaryRegistered.event_type in CATALOGUE
    assert len(CATALOGUE) >= 12


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.event_type)
def test_contract_fields_are_pseudonymous_closed_codes_dates_and_quantities(contract: type[EventContract]) -> None:
    found = problems(contract)
    assert not found, "\n".join(found)


def test_a_withdrawal_cannot_be_published_with_a_health_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        hope_contracts.enrolment.BeneficiaryWithdrawn.model_validate(
            {
                "beneficiary_id": UUID(int=1),
                "reason": "health",
                "from_status": "french_qualification",
                "occurred_at": "2026-01-05T10:00:00Z",
            }
        )


def test_a_hold_cannot_be_published_with_a_code_outside_the_closed_list() -> None:
    with pytest.raises(ValueError, match="reason_code"):
        hope_contracts.enrolment.PathwayPutOnHold.model_validate(
            {
                "beneficiary_id": UUID(int=1),
                "from_status": "prerequisites",
                "reason_code": "pregnancy_tuberculosis",
                "occurred_at": "2026-01-05T10:00:00Z",
            }
        )


class _Leaky(EventContract):
    note: str
    reason_code: Code
    free: str
    dated: date


class _Nested(EventContract):
    entries: tuple[_Leaky, ...]


class _MedicalReason(enum.StrEnum):
    MOVED = "moved_away"
    LEAVE = "medical_leave"


class _HealthInClosedLists(EventContract):
    reason: Literal["personal", "health"]
    hold: _MedicalReason | None = None
    level: Literal["A1", "B2"]
    skill: Literal["speaking", "writing"]
    sector: Literal["hospitality_catering", "care"]


class _StrictFormats(EventContract):
    rncp_code: str = Field(pattern=r"^RNCP\d{1,6}$")
    region: str = Field(pattern=r"^\d{2}$")
    sloppy: str = Field(pattern=r"^RNCP[A-Za-z0-9]{1,6}$")


def test_the_check_refuses_free_text_and_code_shaped_strings_and_says_what_to_change() -> None:
    found = problems(_Leaky)
    assert [line.split(":")[0] for line in found] == ["_Leaky.note", "_Leaky.note", "_Leaky.reason_code", "_Leaky.free"]
    assert "identity or health" in found[0]
    assert all("Literal[...] or an Enum" in line for line in found[1:])
    assert "admits any word" in found[2]


def test_the_check_looks_inside_nested_models() -> None:
    assert [line.split(":")[0] for line in problems(_Nested)][-1] == "_Nested.entries[].free"


def test_the_check_refuses_closed_lists_that_reveal_health_and_only_those() -> None:
    found = problems(_HealthInClosedLists)
    assert len(found) == 2
    assert found[0].startswith("_HealthInClosedLists.reason: the closed list holds 'health', which reveals health")
    assert found[1].startswith("_HealthInClosedLists.hold: the closed list holds 'medical_leave'")
    assert "publish a neutral code instead" in found[0]


def test_a_strict_format_is_a_pattern_without_letter_classes() -> None:
    assert [line.split(":")[0] for line in problems(_StrictFormats)] == ["_StrictFormats.sloppy"]


@pytest.mark.parametrize(
    "value", ["health", "Medical_leave", "pregnancy_tuberculosis", "sick-note", "DISABILITY", "hospital", "ill"]
)
def test_health_words_are_recognised_in_any_case_and_position(value: str) -> None:
    assert reveals_health(value)


@pytest.mark.parametrize("value", ["skill", "hospitality_catering", "personal", "training_break", "care", "C1"])
def test_ordinary_codes_are_not_mistaken_for_health(value: str) -> None:
    assert not reveals_health(value)
