"""Events published by the funding service on ``hope.funding.events``: ids, codes, dates and quantities only."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from hope_contracts.base import Code, EventContract


class ExampleCreated(EventContract):
    event_type: ClassVar[str] = "fr.hope.funding.example.created.v1"
    subject_field: ClassVar[str] = "example_id"

    example_id: UUID
    code: Code
    occurred_at: datetime
