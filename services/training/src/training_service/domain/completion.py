"""Completing a course short of its planned hours: step 4 needs a waiver that says why; step 3 may finish short,
and a waiver given there tells enrolment that step 3's hours are done (step 4 may start)."""

from __future__ import annotations

from training_service.domain.errors import CompletionRefused
from training_service.domain.ledger import HoursLedger
from training_service.domain.vocabulary import Step

# The steps whose hours a course completion may waive: step 3's hours are what enrolment waits for before step 4
# (training's course-completed says done or waived); step 4's are the qualification's own.
WAIVABLE = frozenset({Step.FRENCH_QUALIFICATION, Step.TRADE_QUALIFICATION})


def check_completion(step: Step, core: HoursLedger, waiver_reason: str | None) -> bool:
    """True when the hours are waived; raises CompletionRefused when step 4's rule is not met.

    Step 3 short of its hours completes without a waiver too (hours not done: the programme operator may then waive
    them in enrolment); with one, the hours count as waived here, by the provider who delivered them.
    """
    if step not in WAIVABLE or core.attended >= core.planned:
        return False
    if waiver_reason is not None and waiver_reason.strip():
        return True
    if step is Step.TRADE_QUALIFICATION:
        raise CompletionRefused(
            f"step 4 needs its {core.planned} planned hours attended ({core.attended} so far) "
            "or a waiver with a reason",
            attended=core.attended,
            planned=core.planned,
        )
    return False
