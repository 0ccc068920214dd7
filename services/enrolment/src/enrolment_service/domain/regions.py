"""The 18 current French regions, by INSEE code (COG 2016 onwards)."""

from collections.abc import Mapping
from types import MappingProxyType

from enrolment_service.domain.errors import InvalidValue

REGIONS: Mapping[str, str] = MappingProxyType(
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


def require_region(code: str, field: str = "region") -> str:
    if code not in REGIONS:
        raise InvalidValue(field, "is not the INSEE code of a current French region")
    return code
