"""A service's domain events to its published contracts, by name: no field-by-field mapping written by hand.

The domain (which imports no contract) reports what happened as frozen dataclasses; each is published as the
contract of the same class name, field for field, enumerations as their values. ``mismatches`` lists what does
not line up, for a service's test: a renamed or added field fails that test rather than a running service.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from enum import Enum
from types import ModuleType
from typing import Any

from hope_contracts import EventContract


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    return value


class ContractMap:
    """The contracts of one module (``hope_contracts.enrolment``) by class name."""

    def __init__(self, module: ModuleType) -> None:
        self._contracts: dict[str, type[EventContract]] = {
            name: value
            for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, EventContract) and "event_type" in value.__dict__
        }

    def __call__(self, event: object) -> EventContract:
        contract = self._contracts.get(type(event).__name__)
        if contract is None or not dataclasses.is_dataclass(event):
            raise TypeError(f"no published contract for {type(event).__name__}")
        return contract.model_validate(
            {field.name: _plain(getattr(event, field.name)) for field in dataclasses.fields(event)}
        )

    def mismatches(self, events: Iterable[type[Any]]) -> list[str]:
        """Every domain event without a contract of its name, or whose fields differ from the contract's."""
        found = []
        for event in events:
            contract = self._contracts.get(event.__name__)
            if contract is None:
                found.append(f"{event.__name__}: no contract of that name")
                continue
            ours = {field.name for field in dataclasses.fields(event)}
            theirs = set(contract.model_fields)
            if ours != theirs:
                found.append(
                    f"{event.__name__}: only in the event {sorted(ours - theirs)}, "
                    f"only in the contract {sorted(theirs - ours)}"
                )
        return found
