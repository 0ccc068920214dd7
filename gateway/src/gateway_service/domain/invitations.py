"""An invitation: the single-use, expiring link by which a person sets (or resets) their password."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

INVITATION_LIFETIME = timedelta(hours=72)


@dataclass
class Invitation:
    id: uuid.UUID
    person_id: uuid.UUID
    # SHA-256 of the link's token: the token itself is shown once, to whoever invited.
    token_hash: str
    created_at: datetime
    expires_at: datetime
    invited_by: str
    used_at: datetime | None = None
    # Accepting it also clears the person's authenticator (a lost phone): they set up a new one.
    resets_second_factor: bool = False

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at
