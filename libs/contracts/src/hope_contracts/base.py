"""What every event payload is: a frozen pydantic model with a versioned CloudEvents type.

Payloads carry no direct identifier and nothing about health (DESIGN.md §5): only the pseudonymous
``beneficiary_id``, other UUIDs, dates, quantities and codes, every code from a closed list (a ``Literal`` or an
``Enum``, shared ones in ``hope_contracts.codes``) whose values reveal nothing about health, or a string of a
strict format (a pattern without letter classes, such as ``^RNCP\\d{1,6}$``). ``hope_contracts.privacy`` is that
rule as a check, and ``tests/contracts`` runs it on every registered contract; its message says what to change.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
"""Code-shaped, but not a closed list: it admits ``pregnancy_tuberculosis``. Refused as a contract field by
``hope_contracts.privacy``; kept so that request models may use it. In a contract, list the codes (``Literal``)."""

_TYPE = re.compile(r"^fr\.hope\.(?P<service>[a-z]+)\.(?P<aggregate>[a-z_]+)\.(?P<event>[a-z_]+)\.v(?P<version>\d+)$")

CATALOGUE: dict[str, type[EventContract]] = {}


class EventContract(BaseModel):
    """Subclasses set ``event_type`` (``fr.hope.<service>.<aggregate>.<event>.v<N>``) and ``subject_field``."""

    # Consumers ignore fields they do not know: compatible changes keep the type.
    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    subject_field: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        event_type = cls.__dict__.get("event_type")
        if event_type is None:
            return
        if not _TYPE.match(event_type):
            raise TypeError(f"{cls.__name__}: event type {event_type!r} does not follow the naming rule")
        if event_type in CATALOGUE:
            raise TypeError(f"{cls.__name__}: event type {event_type!r} is already defined")
        CATALOGUE[event_type] = cls

    @classmethod
    def service(cls) -> str:
        match = _TYPE.match(cls.event_type)
        assert match is not None
        return match["service"]

    @classmethod
    def topic(cls) -> str:
        return f"hope.{cls.service()}.events"

    def subject(self) -> str:
        return str(getattr(self, self.subject_field))

    def partition_key(self) -> str:
        """Per-person order: the beneficiary when the event is about one person, else the aggregate."""
        beneficiary = getattr(self, "beneficiary_id", None)
        return str(beneficiary) if isinstance(beneficiary, UUID) else self.subject()


def contract_for(event_type: str) -> type[EventContract] | None:
    return CATALOGUE.get(event_type)
