from datetime import UTC, datetime

from funding_service.domain.errors import InvalidValue


def as_utc(at: datetime, field: str = "at") -> datetime:
    """Instants are kept in UTC; a naive datetime is refused rather than guessed."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidValue(field, "must be timezone-aware")
    return at.astimezone(UTC)
