"""Money: ``Decimal`` euros, the one rounding rule, and the split of an amount between funders.

The rule, stated once: every amount is rounded to the cent, half up, when it becomes a posting (or a
figure a posting is made from). Intermediate products (hours times rate times share) are never rounded.
A split gives each share its rounded part and the cents left over to one stated party, so the parts
always sum to the whole.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from funding_service.domain.errors import InvalidValue

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal(1)
K = TypeVar("K", bound=Hashable)


def to_cent(amount: Decimal) -> Decimal:
    """The platform's only rounding of money: to the cent, half up."""
    if not amount.is_finite():
        raise InvalidValue("amount", "must be a finite number")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal | int | str, field: str = "amount") -> Decimal:
    """Parse a money figure given by a person or a partner: at most two decimals, never a float."""
    if isinstance(value, float):
        raise InvalidValue(field, "money is never a float")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise InvalidValue(field, "must be a decimal amount") from None
    if not amount.is_finite() or amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise InvalidValue(field, "must be an amount with at most two decimals")
    return amount.quantize(CENT)


def as_text(amount: Decimal) -> str:
    """An amount as a decimal string with two places, the form used in problems and events."""
    return str(to_cent(amount))


def check_shares(shares: Mapping[K, Decimal], field: str = "shares") -> None:
    if not shares:
        raise InvalidValue(field, "at least one share is needed")
    for share in shares.values():
        if not share.is_finite() or not ZERO < share <= ONE:
            raise InvalidValue(field, "each share is above 0 and at most 1")
    if sum(shares.values(), ZERO) != ONE:
        raise InvalidValue(field, "the shares must sum to exactly 1")


def split(amount: Decimal, shares: Mapping[K, Decimal], remainder_to: K) -> dict[K, Decimal]:
    """Split an amount (rounded first) between parties; the parts sum to it exactly.

    Each other party's part is its share rounded half up (never more than what is left, which only
    matters for a few cents shared by three or more); ``remainder_to`` gets what remains, so no part
    is negative. Parts keep the amount's sign: the split of a negative difference mirrors the positive.
    """
    check_shares(shares)
    if remainder_to not in shares:
        raise InvalidValue("remainder_to", "must be one of the parties that share the amount")
    whole = to_cent(amount)
    magnitude = abs(whole)
    parts: dict[K, Decimal] = {}
    left = magnitude
    for party, share in shares.items():
        if party != remainder_to:
            parts[party] = min(to_cent(magnitude * share), left)
            left -= parts[party]
    parts[remainder_to] = left
    if whole < 0:
        return {party: -part for party, part in parts.items()}
    return parts
