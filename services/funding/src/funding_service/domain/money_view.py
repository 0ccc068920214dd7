"""One view of the money, for a person, a cohort, an agreement or a funder, from account balances alone.

Balances say where money sits now; the view says how much has reached each stage and is still there or
beyond: ``consumed`` counts what was consumed and since claimed, approved or paid, so each figure is at
least the next one (committed ≥ consumed ≥ claimed ≥ approved ≥ paid). ``released`` is what was given
back, ``disallowed`` what a funder refused, ``available`` what the lines can still commit (only in views
that take in whole lines: an agreement or a funder).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from funding_service.domain.ledger import AccountKey
from funding_service.domain.money import ZERO
from funding_service.domain.vocabulary import Stage


@dataclass(frozen=True)
class MoneyView:
    committed: Decimal
    consumed: Decimal
    claimed: Decimal
    approved: Decimal
    paid: Decimal
    released: Decimal
    disallowed: Decimal
    available: Decimal | None

    @classmethod
    def of(cls, balances: Mapping[AccountKey, Decimal], whole_lines: bool) -> MoneyView:
        """``balances`` of the accounts in scope (the caller picks them: a person's, a cohort's members', an
        agreement's lines'); ``whole_lines`` when the line-level accounts are in scope too."""
        at: dict[Stage, Decimal] = dict.fromkeys(Stage, ZERO)
        for account, balance in balances.items():
            at[account.stage] += balance
        return cls.of_totals(at, whole_lines)

    @classmethod
    def of_totals(cls, totals: Mapping[Stage, Decimal], whole_lines: bool) -> MoneyView:
        """The same from the balances already summed per stage (what a database's GROUP BY gives)."""
        at: dict[Stage, Decimal] = dict.fromkeys(Stage, ZERO)
        at.update(totals)
        paid = at[Stage.PAID]
        approved = at[Stage.APPROVED] + paid
        claimed = at[Stage.CLAIMED] + approved + at[Stage.DISALLOWED]
        consumed = at[Stage.CONSUMED] + claimed
        committed = at[Stage.COMMITTED] + consumed
        return cls(
            committed=committed,
            consumed=consumed,
            claimed=claimed,
            approved=approved,
            paid=paid,
            released=at[Stage.RELEASED],
            disallowed=at[Stage.DISALLOWED],
            available=at[Stage.AVAILABLE] if whole_lines else None,
        )
