"""Public identifiers of companies, activities, jobs and places, checked for form (never looked up: no I/O)."""

import re
from dataclasses import dataclass

from employment_service.domain.errors import InvalidValue
from employment_service.domain.regions import REGION_OF_DEPARTMENT

# La Poste's establishments all share one SIREN and are too many for the Luhn key: INSEE numbers them so that
# the 14 digits sum to a multiple of 5 instead (only the head office, 356 000 000 00048, is also Luhn-valid).
LA_POSTE_SIREN = "356000000"

_NAF = re.compile(r"(\d{2})\.?(\d{2})([A-Z])")
_ROME = re.compile(r"[A-N]\d{4}")
_COMMUNE = re.compile(r"(?:\d{2}|2A|2B)\d{3}")
_REFERENCE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
# Separators people type inside SIRET/SIREN numbers ("732 829 320 00074").
_SEPARATORS = re.compile(r"[ \u00a0.-]")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _digits(raw: str, length: int, field: str) -> str:
    compact = _SEPARATORS.sub("", raw)
    if len(compact) != length or not compact.isascii() or not compact.isdigit():
        raise InvalidValue(field, f"must be {length} digits")
    return compact


@dataclass(frozen=True)
class Siren:
    """The 9-digit number of a legal unit (a company)."""

    value: str

    @classmethod
    def parse(cls, raw: str, field: str = "siren") -> "Siren":
        digits = _digits(raw, 9, field)
        if not luhn_valid(digits):
            raise InvalidValue(field, "fails the SIREN check digit")
        return cls(digits)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Siret:
    """The 14-digit number of one establishment: the company's SIREN, then a 5-digit NIC."""

    value: str

    @classmethod
    def parse(cls, raw: str, field: str = "siret") -> "Siret":
        digits = _digits(raw, 14, field)
        if not luhn_valid(digits[:9]):
            raise InvalidValue(field, "fails the check digit of its SIREN")
        if not (luhn_valid(digits) or (digits.startswith(LA_POSTE_SIREN) and sum(map(int, digits)) % 5 == 0)):
            raise InvalidValue(field, "fails the SIRET check digit")
        return cls(digits)

    @property
    def siren(self) -> Siren:
        return Siren(self.value[:9])

    @property
    def nic(self) -> str:
        return self.value[9:]

    def __str__(self) -> str:
        return self.value


def naf_code(raw: str, field: str = "naf_code") -> str:
    """An activity code of the NAF (APE code), kept in its published form `62.01Z`; `6201Z` is accepted."""
    match = _NAF.fullmatch(raw.strip().upper())
    if match is None:
        raise InvalidValue(field, "must be a NAF code like 62.01Z")
    return f"{match[1]}.{match[2]}{match[3]}"


def rome_code(raw: str, field: str = "rome_code") -> str:
    """A job of the ROME (France Travail's job directory): a grand domaine letter A to N and four digits."""
    code = raw.strip().upper()
    if not _ROME.fullmatch(code):
        raise InvalidValue(field, "must be a ROME job code like F1703")
    return code


@dataclass(frozen=True)
class Commune:
    """A commune by its INSEE code (not the postcode); the department and region follow from it."""

    code: str

    @classmethod
    def parse(cls, raw: str, field: str = "commune_code") -> "Commune":
        code = raw.strip().upper()
        if not _COMMUNE.fullmatch(code) or _department(code) not in REGION_OF_DEPARTMENT:
            raise InvalidValue(field, "must be the 5-character INSEE code of a French commune")
        return cls(code)

    @property
    def department_code(self) -> str:
        return _department(self.code)

    @property
    def region_code(self) -> str:
        return REGION_OF_DEPARTMENT[self.department_code]


def _department(commune_code: str) -> str:
    # Overseas departments have three-character codes (971…976), the communes in them 971xx…976xx.
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def staff_reference(raw: str, field: str) -> str:
    """An employer's own reference for a member of staff (a tutor): a code, never a name."""
    if not _REFERENCE.fullmatch(raw):
        raise InvalidValue(field, "must be a reference of 1 to 64 letters, digits or _.:-")
    return raw
