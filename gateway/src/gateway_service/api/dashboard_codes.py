"""The programme's codes in the reader's words, French and English: what a page shows where a service answers
with a code (a sector, a track, an alert's rule, a housing gap's kind, a vacancy's status). Regions are named
by their own list (``hope_contracts.codes.REGION_NAMES``), the same in both languages."""

from __future__ import annotations

import typing
from collections.abc import Callable

from hope_contracts.codes import REGION_NAMES, SectorCode, Track

CODES_FR = {
    "code.sector.construction": "Bâtiment et travaux publics",
    "code.sector.industry": "Industrie",
    "code.sector.logistics": "Logistique et entreposage",
    "code.sector.hospitality_catering": "Hôtellerie et restauration",
    "code.sector.cleaning": "Propreté",
    "code.sector.agriculture": "Agriculture",
    "code.sector.transport": "Transport routier",
    "code.sector.retail": "Commerce",
    "code.sector.care": "Soin et services à la personne",
    "code.sector.digital": "Numérique",
    "code.track.group": "En groupe",
    "code.track.individual": "Individuel",
    "code.alert_rule.consecutive_unexcused": "Absences injustifiées consécutives",
    "code.alert_rule.low_attendance_rate": "Assiduité faible",
    "code.gap_kind.no_placement_coming_week": "Pas d'hébergement la semaine à venir",
    "code.gap_kind.placement_ends_before_step": "Hébergement terminé avant la fin de l'étape",
    "code.vacancy_status.open": "Ouverte",
    "code.vacancy_status.filled": "Pourvue",
    "code.vacancy_status.closed": "Fermée",
    "code.any": "Tous",
}

CODES_EN = {
    "code.sector.construction": "Construction and public works",
    "code.sector.industry": "Industry",
    "code.sector.logistics": "Logistics and warehousing",
    "code.sector.hospitality_catering": "Hospitality and catering",
    "code.sector.cleaning": "Cleaning",
    "code.sector.agriculture": "Agriculture",
    "code.sector.transport": "Road transport",
    "code.sector.retail": "Retail",
    "code.sector.care": "Care and personal services",
    "code.sector.digital": "Digital",
    "code.track.group": "Group",
    "code.track.individual": "Individual",
    "code.alert_rule.consecutive_unexcused": "Consecutive unexcused absences",
    "code.alert_rule.low_attendance_rate": "Low attendance",
    "code.gap_kind.no_placement_coming_week": "No housing for the coming week",
    "code.gap_kind.placement_ends_before_step": "Housing ends before the step does",
    "code.vacancy_status.open": "Open",
    "code.vacancy_status.filled": "Filled",
    "code.vacancy_status.closed": "Closed",
    "code.any": "All",
}

# The dimensions whose groups are codes with a name, and their codes (a filter offers them by name); a provider
# or a cohort is shown as the service names it.
CHOICES: dict[str, tuple[str, ...]] = {
    "region": tuple(sorted(REGION_NAMES, key=REGION_NAMES.__getitem__)),
    "sector": typing.get_args(SectorCode),
    "track": typing.get_args(Track),
}
NAMED = frozenset(CHOICES)
# Every status a vacancy can have in employment (its tests hold the two lists equal): the employers page asks for
# each status's vacancies at once, which together are all of them.
VACANCY_STATUSES = ("open", "filled", "closed")


def code_label(t: Callable[[str], str], kind: str, code: str | None) -> str:
    """A code of ``kind`` as the reader's words; a code no list names (a new one, a provider's id) shows itself."""
    if code is None:
        return ""
    if kind == "region":
        return REGION_NAMES.get(code, code)
    key = f"code.{kind}.{code}"
    named = t(key)
    return code if named == key else named
