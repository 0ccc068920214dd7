"""The support service's codes."""

from enum import StrEnum


class FileStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


class EndReason(StrEnum):
    PATH_COMPLETED = "path_completed"
    WITHDRAWN = "withdrawn"
    TRANSFERRED = "transferred"
    LOST_CONTACT = "lost_contact"
    OTHER = "other"


class NeedCategory(StrEnum):
    ADMINISTRATIVE = "administrative"
    SOCIAL = "social"
    PROFESSIONAL = "professional"
    CIVIC = "civic"
    HOUSING = "housing"
    CATERING = "catering"
    MEDICAL = "medical"


class NeedStatus(StrEnum):
    IDENTIFIED = "identified"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    ABANDONED = "abandoned"


OPEN_NEED_STATUSES = frozenset({NeedStatus.IDENTIFIED, NeedStatus.IN_PROGRESS})


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class ActionType(StrEnum):
    APPOINTMENT = "appointment"
    INTERVENTION = "intervention"
    PHONE_CALL = "phone_call"
    HOME_VISIT = "home_visit"
    ACCOMPANIMENT = "accompaniment"


class Partner(StrEnum):
    """Outside services a person is referred to or an action involves."""

    CPAM = "cpam"
    CAF = "caf"
    PREFECTURE = "prefecture"
    MISSION_LOCALE = "mission_locale"
    HEALTH_CENTRE = "health_centre"
    FRANCE_TRAVAIL = "france_travail"
    OTHER = "other"


# Naming these partners would tell that a person has a health matter: nothing about them is published.
HEALTH_PARTNERS = frozenset({Partner.HEALTH_CENTRE})


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    DONE = "done"


class Confidentiality(StrEnum):
    STANDARD = "standard"
    RESTRICTED = "restricted"
    MEDICAL = "medical"


class PlacementStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ENDED = "ended"


class Meal(StrEnum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"
