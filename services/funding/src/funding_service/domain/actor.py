from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Actor:
    """Who acts: the token's principal subject and the partner organisation it belongs to."""

    subject: str
    org_id: UUID
