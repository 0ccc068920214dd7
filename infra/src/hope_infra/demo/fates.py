"""What becomes of each person of a cohort: drawn from the programme's rates for the demo, written out by hand
in the end-to-end test."""

from __future__ import annotations

import random
from dataclasses import dataclass

from hope_infra.demo.figures import EMPLOYED_OUTCOMES, OTHER_OUTCOMES, WITHDRAWAL_REASONS, ProgrammeFigures
from hope_infra.demo.people import weighted


@dataclass(frozen=True)
class Fate:
    withdraws: str | None = None  # a withdrawal reason: the person leaves half-way through step 3
    absent_streak: bool = False  # three unexcused absences in a row early in step 3 (an absence alert)
    french_level: str = "A2"  # reached at the end of step 3; "B1" or above counts as the French certification
    qualified: bool = True
    outcome: str = "work_study"

    @property
    def employed_at_exit(self) -> bool:
        return self.outcome in {code for code, _ in EMPLOYED_OUTCOMES}


def draw_fate(rng: random.Random, figures: ProgrammeFigures) -> Fate:
    if rng.random() < figures.dropout_rate:
        return Fate(withdraws=weighted(rng, WITHDRAWAL_REASONS))
    employed = rng.random() < figures.employed_at_exit_rate
    return Fate(
        absent_streak=rng.random() < figures.absence_streak_rate,
        french_level=rng.choice(("B1", "B1", "B2")) if rng.random() < figures.french_certification_rate else "A2",
        qualified=rng.random() < figures.trade_qualification_rate,
        outcome=weighted(rng, EMPLOYED_OUTCOMES if employed else OTHER_OUTCOMES),
    )
