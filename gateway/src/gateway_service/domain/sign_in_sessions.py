"""A person's session: what the cookie stands for on the server, ended at once by sign-out or revocation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SessionTimeouts:
    """``idle``: since the last request; ``absolute``: since sign-in, whatever the activity; ``pending``: between
    the password and the second factor."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    pending: timedelta = timedelta(minutes=10)


@dataclass
class PersonSession:
    id: uuid.UUID
    person_id: uuid.UUID
    org_id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    # None while a second factor is still owed (set up or entered): such a session opens only those pages.
    completed_at: datetime | None
    ended_at: datetime | None = None
    end_reason: str | None = None

    @property
    def complete(self) -> bool:
        return self.completed_at is not None

    def expiry_reason(self, now: datetime, timeouts: SessionTimeouts) -> str | None:
        """Why the session no longer holds at ``now`` (ended, or which timeout), else None."""
        if self.ended_at is not None:
            return self.end_reason or "ended"
        if not self.complete and now - self.created_at >= timeouts.pending:
            return "second_factor_timeout"
        if now - self.created_at >= timeouts.absolute:
            return "absolute_timeout"
        if now - self.last_seen_at >= timeouts.idle:
            return "idle_timeout"
        return None
