"""The programme's published figures: the sizes and rates the demo draws its people and their paths from."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import get_args

from hope_contracts.codes import SectorCode

# The regions of mainland France where cohorts are formed (INSEE codes, as enrolment knows them).
REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93")
SECTORS: tuple[str, ...] = get_args(SectorCode)
# Each sector's trade certification (title and RNCP code) and its ROME job family for vacancies.
TRADE_CERTIFICATIONS = {
    "construction": ("Titre professionnel maçon", "RNCP34347", "F1703"),
    "industry": ("Titre professionnel agent de fabrication industrielle", "RNCP35416", "H2102"),
    "logistics": ("Titre professionnel préparateur de commandes", "RNCP35966", "N1103"),
    "hospitality_catering": ("Titre professionnel commis de cuisine", "RNCP37859", "G1602"),
    "cleaning": ("Titre professionnel agent de propreté et d'hygiène", "RNCP34798", "K2204"),
    "agriculture": ("CAP agricole métiers de l'agriculture", "RNCP24933", "A1414"),
    "transport": ("Titre professionnel conducteur du transport routier de marchandises", "RNCP35310", "N4101"),
    "retail": ("Titre professionnel employé commercial", "RNCP37099", "D1507"),
    "care": ("Titre professionnel agent de service médico-social", "RNCP35028", "J1301"),
    "digital": ("Titre professionnel technicien d'assistance informatique", "RNCP37682", "I1401"),
}
# Exit outcomes of those employed at exit, and of the others (DESIGN.md §7), with their weights.
EMPLOYED_OUTCOMES = (("work_study", 40), ("cdi", 25), ("cdd_6m_plus", 20), ("interim", 15))
OTHER_OUTCOMES = (("job_search", 60), ("training", 25), ("cdd_short", 10), ("other", 5))
WITHDRAWAL_REASONS = (("employment_found", 30), ("moved_away", 25), ("personal", 30), ("excluded", 15))


@dataclass(frozen=True)
class ProgrammeFigures:
    """About 1,500 entries a year in cohorts of 10 to 12, 4 % dropouts, about 75 % certified in French,
    82 % qualified in a trade, 70 % employed at exit."""

    entries_per_year: int = 1500
    cohort_size: tuple[int, int] = (10, 12)
    dropout_rate: float = 0.04
    french_certification_rate: float = 0.75
    trade_qualification_rate: float = 0.82
    employed_at_exit_rate: float = 0.70
    # Absent three sessions in a row somewhere in step 3 (an absence alert), for a few.
    absence_streak_rate: float = 0.05
    ofii_hours: tuple[int, int] = (200, 600)
    french_hours: Decimal = Decimal("400")
    trade_hours: Decimal = Decimal("450")
    # What funding commits for a person when steps 3 and 4 start: the programme's hours of each step, whatever a
    # course plans (no event carries a course's planned hours yet). The agreements are sized on it.
    committed_hours: Decimal = Decimal("850")
    hourly_rate: Decimal = Decimal("15.00")
