"""The reference taxonomy of needs: `<category>.<need>` codes.

Medical codes are here like the others, but a medical need's code is stored encrypted and published nowhere.
"""

from collections.abc import Mapping
from types import MappingProxyType

from support_service.domain.errors import UnknownNeedCode
from support_service.domain.vocabulary import NeedCategory

_CODES: Mapping[NeedCategory, tuple[str, ...]] = MappingProxyType(
    {
        NeedCategory.ADMINISTRATIVE: ("residence_permit", "caf", "health_insurance", "bank_account", "tax"),
        NeedCategory.SOCIAL: ("family", "childcare", "budget"),
        NeedCategory.PROFESSIONAL: ("cv", "driving_licence", "mobility"),
        NeedCategory.CIVIC: ("citizenship_training", "rights"),
        NeedCategory.HOUSING: ("accommodation", "furniture", "tenancy"),
        NeedCategory.CATERING: ("meals", "special_diet"),
        NeedCategory.MEDICAL: ("care_access", "mental_health", "treatment_follow_up", "disability"),
    }
)

NEED_CODES: frozenset[str] = frozenset(f"{category}.{need}" for category, needs in _CODES.items() for need in needs)


def category_of(code: str) -> NeedCategory:
    if code not in NEED_CODES:
        raise UnknownNeedCode()
    return NeedCategory(code.split(".", 1)[0])


def codes_in(category: NeedCategory) -> tuple[str, ...]:
    return tuple(f"{category}.{need}" for need in _CODES[category])
