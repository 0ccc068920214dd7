"""Who pays: AKTO as OPCO, the State's skills plan, a region, France Travail, the European Social Fund."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from funding_service.domain.errors import InvalidValue
from funding_service.domain.vocabulary import FunderKind

_FUNDER_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{1,31}")


@dataclass(frozen=True)
class Funder:
    funder_id: UUID
    code: str
    name: str
    kind: FunderKind
    # The partner organisation whose readers may see this funder's agreements, when it has one.
    org_id: UUID | None = None

    def __post_init__(self) -> None:
        if not _FUNDER_CODE.fullmatch(self.code):
            raise InvalidValue("code", "must be 2 to 32 capitals, digits, '-' or '_'")
        if not self.name.strip() or len(self.name) > 200:
            raise InvalidValue("name", "must be 1 to 200 characters")
