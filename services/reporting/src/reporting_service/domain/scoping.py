"""Whose figures a caller may see (pure: the service layer reads the caller, the adapters apply the scope).

The programme operator sees everything; a training or support provider the people of the cohorts it trains or
supports; a funder the people its agreements finance, and of their money only its own; nobody else anything.
Clients with the ``reporting`` role get aggregates only, like everyone here: person-level rows exist only in the
dropout-risk list, for the person's own support provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from uuid import UUID

ScopeKind = Literal["everything", "training_provider", "support_provider", "funder"]


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    org_id: UUID | None = None
    funder_ids: frozenset[UUID] = frozenset()
    # A single cohort the caller asked for (already checked to be in its scope).
    cohort_id: UUID | None = None

    @property
    def funders(self) -> frozenset[UUID] | None:
        """The funders whose money may be shown, None for every funder."""
        return self.funder_ids if self.kind == "funder" else None
