"""The partners of a run and what they share: who plays which part, the money."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hope_infra.demo.actors.employers import Employer
from hope_infra.demo.actors.operator import Financing
from hope_infra.demo.gateway import PartnerClient
from hope_infra.demo.partners import Partner


@dataclass
class Cast:
    admin: PartnerClient  # the operator's admin client: partners, erasure
    akto: Partner  # the operator's back office
    ofii: Partner
    training_providers: list[Partner]
    support_providers: list[Partner]
    employers: dict[tuple[str, str], list[Employer]] = field(default_factory=dict)  # by (sector, region)
    financing: Financing | None = None

    def figure_readers(self) -> list[Partner]:
        """The organisations with a figures client (reporting:read): the operator and the providers."""
        everyone = [self.akto, self.ofii, *self.training_providers, *self.support_providers]
        return [partner for partner in everyone if partner.figures is not None]

    def employer_for(self, sector: str, region: str, index: int) -> Employer:
        hiring = self.employers[(sector, region)]
        return hiring[index % len(hiring)]


@dataclass(frozen=True)
class RunContext:
    """What makes a run's writes its own (the idempotency keys) and the day it plays."""

    run: str
    today: date
