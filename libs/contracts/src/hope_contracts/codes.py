"""The closed lists of codes that more than one service's events carry (hope_contracts.privacy: no free strings).

Adding a value is a compatible change for producers only once every consumer knows it: consumers validate
payloads against these lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

Track = Literal["group", "individual"]

LanguageTest = Literal["TCF", "DELF", "DILF", "internal"]

# The sectors of the programme (enrolment's reference list, GET /v1/sectors).
SectorCode = Literal[
    "construction",
    "industry",
    "logistics",
    "hospitality_catering",
    "cleaning",
    "agriculture",
    "transport",
    "retail",
    "care",
    "digital",
]

# The 18 current French regions by INSEE code (COG 2016 onwards).
RegionCode = Literal[
    "01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"
]  # fmt: skip

# Their names, the same in French and English (the dashboard shows them; the services' domains keep their own
# copy, held to this one by their tests).
REGION_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "01": "Guadeloupe",
        "02": "Martinique",
        "03": "Guyane",
        "04": "La Réunion",
        "06": "Mayotte",
        "11": "Île-de-France",
        "24": "Centre-Val de Loire",
        "27": "Bourgogne-Franche-Comté",
        "28": "Normandie",
        "32": "Hauts-de-France",
        "44": "Grand Est",
        "52": "Pays de la Loire",
        "53": "Bretagne",
        "75": "Nouvelle-Aquitaine",
        "76": "Occitanie",
        "84": "Auvergne-Rhône-Alpes",
        "93": "Provence-Alpes-Côte d'Azur",
        "94": "Corse",
    }
)
