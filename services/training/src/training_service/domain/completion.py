"""Completing a course: step 4 needs its trade hours done, or a waiver that says why."""

from __future__ import annotations

from training_service.domain.errors import CompletionRefused
from training_service.domain.ledger import HoursLedger
from training_service.domain.vocabulary import Step


def check_completion(step: Step, core: HoursLedger, waiver_reason: str | None) -> bool:
    """True when the hours are waived; raises CompletionRefused when the rule is not met."""
    if step is not Step.TRADE_QUALIFICATION or core.attended >= core.planned:
        return False
    if waiver_reason is None or not waiver_reason.strip():
        raise CompletionRefused(
            f"step 4 needs its {core.planned} planned hours attended ({core.attended} so far) "
            "or a waiver with a reason",
            attended=core.attended,
            planned=core.planned,
        )
    return True
