"""The HR contact of an employer: company staff, not a beneficiary, but personal data all the same.

Kept apart from the employer so that every read can be audited and the whole can be erased in one place; it
never travels in an event.
"""

import re
from dataclasses import dataclass

from employment_service.domain.errors import InvalidValue

# Shape only: deliverability is the mail system's business, not the domain's.
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
_PHONE_SEPARATORS = re.compile(r"[ .\-()]")
_PHONE = re.compile(r"\+?\d{6,15}")


@dataclass(frozen=True)
class HrContact:
    full_name: str
    email: str
    phone: str | None = None

    def __post_init__(self) -> None:
        name = " ".join(self.full_name.split())
        if not 1 <= len(name) <= 200:
            raise InvalidValue("hr_contact.full_name", "must be 1 to 200 characters")
        email = self.email.strip()
        if len(email) > 254 or not _EMAIL.fullmatch(email):
            raise InvalidValue("hr_contact.email", "must be an email address")
        object.__setattr__(self, "full_name", name)
        object.__setattr__(self, "email", email)
        if self.phone is not None:
            phone = _PHONE_SEPARATORS.sub("", self.phone)
            if not _PHONE.fullmatch(phone):
                raise InvalidValue("hr_contact.phone", "must be a phone number of 6 to 15 digits")
            object.__setattr__(self, "phone", phone)

    def __repr__(self) -> str:
        # Logs and tracebacks show that a contact exists, never who it is.
        return "HrContact(<redacted>)"
