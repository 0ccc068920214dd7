"""The rules the read models are built by, free of storage: which status a step means, what one attendance line
is worth, how a re-sent sheet changes a person's totals, how a payment is shared among a claim's lines.

Totals move only by differences, so the facts do not depend on how often a sheet arrives; that a field is
overwritten only by an event at least as recent as the one that set it is kept by the writes themselves
(``adapters/upserts.set_if_newer``), where the stored time is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple, TypeVar

K = TypeVar("K")

CENT = Decimal("0.01")

# The pathway status a started step puts a person in (DESIGN.md §7).
STATUS_OF_STEP: Mapping[int, str] = {
    1: "prerequisites",
    2: "pre_orientation",
    3: "french_qualification",
    4: "trade_qualification",
}

MoneyKind = Literal["committed", "released", "consumed", "claimed", "approved", "paid"]


def first_of_month(day: date) -> date:
    return day.replace(day=1)


class AttendanceLine(NamedTuple):
    """One person's line on one session's sheet (a tuple: a sheet makes one per person, many per second)."""

    status: str  # present | excused | unexcused
    session_hours: Decimal
    hours_attended: Decimal


ZERO = Decimal(0)


def _worth(line: AttendanceLine | None) -> tuple[Decimal, Decimal, Decimal, Decimal, int]:
    """What a line adds to a person's totals, in ``HoursTotals``' order."""
    if line is None:
        return ZERO, ZERO, ZERO, ZERO, 0
    hours = line.session_hours
    excused = hours if line.status == "excused" else ZERO
    unexcused = hours if line.status == "unexcused" else ZERO
    return hours, line.hours_attended, excused, unexcused, 1


@dataclass(frozen=True)
class HoursTotals:
    """What lines add to a person's totals (a step, a month); negative in a difference."""

    recorded: Decimal = Decimal(0)
    attended: Decimal = Decimal(0)
    excused: Decimal = Decimal(0)
    unexcused: Decimal = Decimal(0)
    sessions: int = 0

    @classmethod
    def of(cls, line: AttendanceLine) -> HoursTotals:
        return cls(*_worth(line))

    def __add__(self, other: HoursTotals) -> HoursTotals:
        return HoursTotals(
            self.recorded + other.recorded,
            self.attended + other.attended,
            self.excused + other.excused,
            self.unexcused + other.unexcused,
            self.sessions + other.sessions,
        )

    def __sub__(self, other: HoursTotals) -> HoursTotals:
        return HoursTotals(
            self.recorded - other.recorded,
            self.attended - other.attended,
            self.excused - other.excused,
            self.unexcused - other.unexcused,
            self.sessions - other.sessions,
        )

    def is_zero(self) -> bool:
        return self == HoursTotals()


def sheet_difference(before: Mapping[K, AttendanceLine], after: Mapping[K, AttendanceLine]) -> dict[K, HoursTotals]:
    """Per total (a person's step, or month), what replacing a session's lines ``before`` by ``after`` changes:
    a person left off the new sheet gives their hours back, an unchanged line changes nothing."""
    changes: dict[K, HoursTotals] = {}
    for person in before.keys() | after.keys():
        old, new = before.get(person), after.get(person)
        if old == new:
            continue
        # Plain arithmetic, one ``HoursTotals`` per change: a sheet's lines are the ingest's bulk.
        (recorded, attended, excused, unexcused, sessions), was = _worth(new), _worth(old)
        change = (recorded - was[0], attended - was[1], excused - was[2], unexcused - was[3], sessions - was[4])
        if any(change):
            changes[person] = HoursTotals(*change)
    return changes


def share_payment(paid: Decimal, approved: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """A claim's payment shared among its lines in proportion to what was approved on each, to the cent; the
    cents rounding leaves over go one by one to the largest remainders, so the shares add up to ``paid``."""
    total = sum(approved.values(), Decimal(0))
    if total <= 0:
        return {key: Decimal(0) for key in approved}
    exact = {key: paid * amount / total for key, amount in approved.items()}
    shares = {key: value.quantize(CENT, rounding="ROUND_DOWN") for key, value in exact.items()}
    left = int((paid - sum(shares.values(), Decimal(0))) / CENT)
    by_remainder = sorted(approved, key=lambda key: (exact[key] - shares[key], approved[key]), reverse=True)
    for key in by_remainder[:left]:
        shares[key] += CENT
    return shares


class Movement(NamedTuple):
    """One of a person's money movements on one budget line, as the replay of funding's ledger reads it;
    ``from_commitment``: for a consumption, the part funding said it drew from (negative: gave back to) the
    commitment, None when its event predates that field."""

    kind: MoneyKind
    amount: Decimal
    from_commitment: Decimal | None = None


def beyond_commitment(movements: Iterable[Movement | tuple[MoneyKind, Decimal]]) -> Decimal:
    """What one person consumed on one budget line beyond their commitment there, net: funding's ledger replayed
    in the order it posted (``movements``: the line's committed, released and consumed amounts by event time).

    A consumption that says where it was drawn from (``from_commitment``) counts its rest beyond, whatever the
    order. For one that does not (older events), the replay allocates as funding does: from the person's
    commitment first and from the line's available money for the rest; a correction gives back first what was
    drawn from the line, then to the commitment; a release empties the commitment. The money engaged on the line,
    as funding's views count it (still committed + consumed and every later stage), is then committed - released
    + this. Funding gives a correction back to the commitment first when the consumption came before the
    commitment was made (its planned part counts it): the one order the replay gets wrong, which only the
    events' ``from_commitment`` can tell. A movement may be a bare (kind, amount): migration 0009 replays so."""
    held = drawn = beyond = Decimal(0)
    for movement in movements:
        kind, amount = movement[0], movement[1]
        said = movement[2] if len(movement) > 2 else None
        if kind == "committed":
            held += amount
        elif kind == "released":
            held -= amount
        elif kind != "consumed":
            continue
        elif said is not None:
            held, drawn, beyond = held - said, drawn + said, beyond + amount - said
        elif amount >= 0:
            from_commitment = min(amount, max(held, Decimal(0)))
            held, drawn, beyond = held - from_commitment, drawn + from_commitment, beyond + amount - from_commitment
        else:
            to_line = min(-amount, max(beyond, Decimal(0)))
            to_commitment = min(-amount - to_line, max(drawn, Decimal(0)))
            held, drawn = held + to_commitment, drawn - to_commitment
            beyond -= -amount - to_commitment
    return beyond
