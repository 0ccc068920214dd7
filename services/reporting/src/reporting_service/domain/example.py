"""An example: the shape of a resource of reporting, to be replaced by the service's own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Example:
    id: uuid.UUID
    code: str
    label: str
    created_at: datetime
    created_by_org_id: uuid.UUID


def new_example(code: str, label: str, org_id: uuid.UUID, now: datetime) -> Example:
    """Codes are compared without regard to case, so they are kept in lower case; labels lose outer spaces."""
    return Example(
        id=uuid.uuid4(),
        code=code.lower(),
        label=label.strip(),
        created_at=now,
        created_by_org_id=org_id,
    )
