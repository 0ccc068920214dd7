"""Request and response bodies of /v1/examples."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from reporting_service.domain.example import Example

ExampleCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class ExampleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: ExampleCode
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ExampleView(BaseModel):
    id: UUID
    code: str
    label: str
    created_at: datetime
    created_by_org_id: UUID = Field(description="The organisation whose client created it.")

    @classmethod
    def of(cls, example: Example) -> ExampleView:
        return cls(
            id=example.id,
            code=example.code,
            label=example.label,
            created_at=example.created_at,
            created_by_org_id=example.created_by_org_id,
        )
