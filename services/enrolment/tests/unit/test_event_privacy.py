"""Events leave the service: they must carry no direct identifier and no free text (DESIGN §5)."""

import dataclasses
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

import pytest

from enrolment_service.domain import events
from enrolment_service.domain.events import DomainEvent

EVENT_CLASSES = [
    cls
    for cls in vars(events).values()
    if isinstance(cls, type) and issubclass(cls, DomainEvent) and cls is not DomainEvent
]
# Strings are allowed only for codes from a closed list.
CODE_FIELDS = {"sector_code", "region", "reason_code"}
SAFE_TYPES = (UUID, datetime, date, Decimal, int, Enum, type(None))


IDENTITY_FIELDS = {
    "given_name",
    "family_name",
    "birth_date",
    "nationality",
    "ofii_number",
    "france_travail_id",
    "phone",
    "email",
    "spoken_languages",
}


def test_all_events_are_checked() -> None:
    assert {cls.__name__ for cls in EVENT_CLASSES} == {
        "BeneficiaryRegistered",
        "PrerequisitesValidated",
        "SectorChosen",
        "StepStarted",
        "StepCompleted",
        "PathwayPutOnHold",
        "PathwayResumed",
        "BeneficiaryWithdrawn",
        "PathwayCompleted",
        "CohortCreated",
        "CohortMemberAdded",
        "CohortCalendarChanged",
        "ConsentChanged",
        "BeneficiaryErased",
    }


@pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda cls: cls.__name__)
def test_event_carries_only_ids_codes_dates_and_quantities(event_class: type[DomainEvent]) -> None:
    _check_fields(event_class)


def _check_fields(cls: type) -> None:
    """Every field of the event, and of the records it nests (a cohort's calendar periods)."""
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        assert field.name not in IDENTITY_FIELDS
        for part in typing.get_args(hints[field.name]) or (hints[field.name],):
            if part is str:
                assert field.name in CODE_FIELDS, f"{cls.__name__}.{field.name} is free text"
            elif dataclasses.is_dataclass(part):
                _check_fields(part)  # type: ignore[arg-type]
            elif part is not Ellipsis:
                assert issubclass(part, SAFE_TYPES), f"{cls.__name__}.{field.name}: {part}"
