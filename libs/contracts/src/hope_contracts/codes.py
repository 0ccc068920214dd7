"""The closed lists of codes that more than one service's events carry (hope_contracts.privacy: no free strings).

Adding a value is a compatible change for producers only once every consumer knows it: consumers validate
payloads against these lists.
"""

from __future__ import annotations

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
