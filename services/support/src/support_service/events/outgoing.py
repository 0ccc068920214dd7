"""The domain's events as the published contracts: the same fields, enums as their codes.

The contracts' closed lists leave out medical categories and health partners; the domain already publishes
nothing for those, and a payload that slipped through would fail validation here rather than be sent.
"""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum

from hope_contracts import support as contracts
from hope_contracts.base import EventContract
from support_service.domain import events

_CONTRACTS: dict[type[events.DomainEvent], type[EventContract]] = {
    events.SupportFileOpened: contracts.SupportFileOpened,
    events.SupportFileClosed: contracts.SupportFileClosed,
    events.NeedOpened: contracts.NeedOpened,
    events.NeedResolved: contracts.NeedResolved,
    events.ReferralMade: contracts.ReferralMade,
    events.HousingAssigned: contracts.HousingAssigned,
    events.HousingReleased: contracts.HousingReleased,
    events.MealsEntitled: contracts.MealsEntitled,
}


def to_contract(event: events.DomainEvent) -> EventContract:
    fields = {name: value.value if isinstance(value, Enum) else value for name, value in asdict(event).items()}
    return _CONTRACTS[type(event)].model_validate(fields)
