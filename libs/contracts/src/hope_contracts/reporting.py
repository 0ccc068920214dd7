"""Events published by the reporting service on ``hope.reporting.events``: ids, codes, dates and quantities only."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from hope_contracts.base import EventContract


class ExampleCreated(EventContract):
    event_type: ClassVar[str] = "fr.hope.reporting.example.created.v1"
    subject_field: ClassVar[str] = "example_id"

    example_id: UUID
    # Codes a service publishes come from closed lists (Literal or Enum): a partner's free code stays here.
    occurred_at: datetime
