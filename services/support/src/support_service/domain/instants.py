import re
from datetime import UTC, datetime

from support_service.domain.errors import InvalidValue

# Codes travel in events and reports, so they admit no spaces: never a name or a sentence.
_CODE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def as_utc(at: datetime, field: str = "at") -> datetime:
    """Instants are kept in UTC; a naive datetime is refused rather than guessed."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidValue(field, "must be timezone-aware")
    return at.astimezone(UTC)


def checked_code(field: str, value: str) -> str:
    if not _CODE.fullmatch(value):
        raise InvalidValue(field, "must be a code of 1 to 64 letters, digits, '_', '.', ':' or '-'")
    return value
