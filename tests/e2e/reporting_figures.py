"""What reporting must publish for the e2e cohort, worked out by the test alone: people counted from the path it
wrote out (``cohort.FATES``), then shown as the small-number rule shows a table of one cohort.

The rule (reporting's suppression, published with every answer): a cell of 1 to 4 people is hidden; a row whose
total is shown must not let a hidden cell be worked out by subtraction or by counting, so when it holds a single
hidden cell, hidden cells of one person each, or hidden cells of four each, its next smallest non-zero cell is
hidden too. With one cohort the group's row and the total row are the same numbers, hidden alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from hope_infra.demo import cohort_path
from hope_infra.demo.calendar import SESSION_HOURS

from .checks import FRENCH_SESSIONS, TRADE_SESSIONS

THRESHOLD = 5
# DESIGN.md §7: the exit outcomes employment at exit counts.
EMPLOYED = frozenset({"cdi", "cdd_6m_plus", "interim", "work_study"})
ON_THE_PATH = ("registered", "prerequisites", "pre_orientation", "french_qualification", "trade_qualification")
FRENCH = {"pre_A1": "A1_or_below", "A1": "A1_or_below", "A2": "A2", "B1": "B1"}


@dataclass(frozen=True)
class Published:
    """One row of an answer as reporting must show it: None is a suppressed cell."""

    categories: dict[str, int | None]
    people: int | None
    rate: Decimal | None = None  # the headline share, when the indicator has one and it can be shown


def shown(counts: dict[str, int], headline: tuple[str, ...] = ()) -> Published:
    """``counts`` (every category, in the indicator's order) as one row of a one-cohort table shows them."""
    total = sum(counts.values())
    hidden = {c for c, n in counts.items() if 0 < n < THRESHOLD}
    total_hidden = 0 < total < THRESHOLD
    while not total_hidden and hidden:
        mass = sum(counts[c] for c in hidden)
        if not (len(hidden) == 1 or mass <= len(hidden) or mass == (THRESHOLD - 1) * len(hidden)):
            break
        others = [c for c, n in counts.items() if c not in hidden and n > 0]
        if not others:
            total_hidden = True
            break
        hidden.add(min(others, key=lambda c: counts[c]))
    categories = {c: None if c in hidden else n for c, n in counts.items()}
    people = None if total_hidden else total
    rate = None
    if headline and people and all(categories[c] is not None for c in headline):
        rate = (Decimal(sum(counts[c] for c in headline)) / people).quantize(Decimal("0.0001"))
    return Published(categories, people, rate)


def exit_outcome(member: cohort_path.Member) -> str:
    """What the support provider recorded at exit (``cohort_path.leave``: a leaver's own outcome too)."""
    fate = member.fate
    if fate.withdraws is None:
        return fate.outcome
    return "cdd_6m_plus" if fate.withdraws == "employment_found" else "other"


def expected(cohort: cohort_path.CohortRun) -> dict[str, Published]:
    """Every indicator checked, by id: the cohort's row (and the total row, the same numbers)."""
    staying, leaving = cohort.staying, cohort.leaving
    # Everyone here started step 3 (the withdrawal is half-way through it) and has left: withdrawn or completed.
    left_after_step_3 = cohort.members
    employed = Counter("employed" if exit_outcome(m) in EMPLOYED else "not_employed" for m in left_after_step_3)
    reasons = Counter(m.fate.withdraws for m in leaving)
    levels = Counter(FRENCH.get(m.fate.french_level, "B2_or_above") for m in staying)
    results = Counter("awarded" if m.fate.qualified else "failed" for m in staying)
    return {
        "entries": shown({"entered": len(cohort.members)}),
        # Nobody is left on the path: the withdrawn and the completed are off it.
        "people_per_step": shown({**dict.fromkeys(ON_THE_PATH, 0), "on_hold": 0}),
        "dropouts_by_reason": shown(
            {r: reasons[r] for r in ("employment_found", "moved_away", "personal", "excluded", "other")}
        ),
        "french_certification": shown(
            {c: levels[c] for c in ("A1_or_below", "A2", "B1", "B2_or_above", "not_assessed")},
            headline=("A2", "B1", "B2_or_above"),
        ),
        "trade_qualification": shown(
            {c: results[c] for c in ("awarded", "partially_awarded", "failed")}, headline=("awarded",)
        ),
        "employment_at_exit": shown(
            {"employed": employed["employed"], "not_employed": employed["not_employed"], "no_outcome": 0},
            headline=("employed",),
        ),
        "attendance_rate": Published({"attended": len(cohort.members)}, len(cohort.members), attendance(cohort)),
    }


def attendance(cohort: cohort_path.CohortRun) -> Decimal:
    """Hours present over hours of the sessions the sheets recorded: step 3's first half for all, its second half
    and step 4 for those who stayed; three unexcused absences for the one with an absence streak."""
    half = FRENCH_SESSIONS // 2
    recorded = attended = 0
    for member in cohort.members:
        sessions = half if member.fate.withdraws else FRENCH_SESSIONS + TRADE_SESSIONS
        recorded += sessions
        attended += sessions - (3 if member.fate.absent_streak else 0)
    return (Decimal(attended * SESSION_HOURS) / Decimal(recorded * SESSION_HOURS)).quantize(Decimal("0.0001"))
