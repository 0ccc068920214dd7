"""When two registrations are the same person."""

import re
import unicodedata
from collections.abc import Iterable

from enrolment_service.domain.beneficiary import Beneficiary, Identity
from enrolment_service.domain.errors import DuplicateBeneficiary

# Hyphens, dashes, apostrophes and dots separate name parts as spaces do: "Al-Hassan" is "Al Hassan".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015'`\u2019\u02bc\u00b4.]+")


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SEPARATORS.sub(" ", bare).strip()


def duplicate_key(identity: Identity) -> str:
    family = normalise_name(identity.family_name)
    given = normalise_name(identity.given_name)
    return f"{family}|{given}|{identity.birth_date.isoformat()}"


def is_duplicate(candidate: Identity, existing: Identity) -> bool:
    if candidate.ofii_number is not None and candidate.ofii_number == existing.ofii_number:
        return True
    return duplicate_key(candidate) == duplicate_key(existing)


def ensure_not_registered(candidate: Identity, registered: Iterable[Beneficiary]) -> None:
    """Refuses a second registration of the same person; erased beneficiaries no longer match anyone."""
    for beneficiary in registered:
        if beneficiary.identity is not None and is_duplicate(candidate, beneficiary.identity):
            raise DuplicateBeneficiary(beneficiary.id)
