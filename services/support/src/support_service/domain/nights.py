"""Night ranges: half-open date ranges [first night, morning of departure), like PostgreSQL's daterange '[)'."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from support_service.domain.errors import InvalidValue

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Nights:
    """`start` is the first night, `end` the morning the stay ends. Empty when start == end."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValue("ends_on", "must not be before starts_on")

    @property
    def is_empty(self) -> bool:
        return self.start == self.end

    def __len__(self) -> int:
        return (self.end - self.start).days

    def __contains__(self, night: object) -> bool:
        return isinstance(night, date) and self.start <= night < self.end

    def __iter__(self) -> Iterator[date]:
        night = self.start
        while night < self.end:
            yield night
            night += ONE_DAY

    def overlaps(self, other: "Nights") -> bool:
        """Two stays share a night; an empty range shares none (as `&&` on PostgreSQL ranges)."""
        if self.is_empty or other.is_empty:
            return False
        return self.start < other.end and other.start < self.end

    def intersection(self, other: "Nights") -> "Nights":
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Nights(start, max(start, end))

    def covers(self, other: "Nights") -> bool:
        return other.is_empty or (self.start <= other.start and other.end <= self.end)


def merged(ranges: Iterable[Nights]) -> list[Nights]:
    """The union of ranges as sorted, disjoint, non-adjacent ranges."""
    result: list[Nights] = []
    for current in sorted((r for r in ranges if r.start < r.end), key=lambda r: (r.start, r.end)):
        if result and current.start <= result[-1].end:
            last = result.pop()
            current = Nights(last.start, max(last.end, current.end))
        result.append(current)
    return result


def first_uncovered(window: Nights, covering: Iterable[Nights]) -> date | None:
    """The first night of `window` that no range covers, or None when all are covered."""
    return first_uncovered_in_merged(window, merged(covering))


def first_uncovered_in_merged(window: Nights, spans: list[Nights]) -> date | None:
    """`first_uncovered` for ranges already merged (sorted and disjoint), to merge once per person."""
    night = window.start
    for span in spans:
        if span.end <= night:
            continue
        if span.start > night:
            break
        night = span.end
    return night if night < window.end else None
