"""Hours and instants as the domain keeps them: Decimal hours with two places, instants in UTC."""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from employment_service.domain.errors import InvalidValue

HUNDREDTH = Decimal("0.01")
MAX_WEEKLY_HOURS = Decimal("48")  # the legal weekly maximum (Code du travail L3121-20)


def hours(value: Decimal, field: str, *, low: Decimal, high: Decimal | None = None) -> Decimal:
    """Decimal hours with at most two places, from `low` to `high` inclusive."""
    try:
        exact = value.is_finite() and value == value.quantize(HUNDREDTH)
    except InvalidOperation:
        exact = False
    if not exact:
        raise InvalidValue(field, "must be a number of hours with at most two decimals")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidValue(field, f"must be {bounds} hours")
    return value.quantize(HUNDREDTH)


def weekly_hours(value: Decimal, field: str = "hours_per_week") -> Decimal:
    return hours(value, field, low=Decimal("1"), high=MAX_WEEKLY_HOURS)


def as_utc(at: datetime, field: str = "at") -> datetime:
    """Instants are kept in UTC; a naive datetime is refused rather than guessed."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidValue(field, "must be timezone-aware")
    return at.astimezone(UTC)
