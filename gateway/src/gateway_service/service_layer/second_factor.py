"""The second factor: TOTP (RFC 6238, 30 s steps, 6 digits) with pyotp, the secret sealed at rest
(:mod:`gateway_service.service_layer.sealing`, bound to the person).

A code is accepted one step either side of now (a phone's clock drifts, a person takes a few seconds to type),
and each step only once: a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

# Steps either side of the current one that are still accepted.
WINDOW = 1
ISSUER = "HOPE"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// link an authenticator app reads (typed in by hand from the secret as well)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to, if it is within the window of ``now`` and later than the last step
    accepted; else None."""
    cleaned = code.replace(" ", "")
    if len(cleaned) != 6 or not cleaned.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(cleaned, totp.generate_otp(step)) and (last_step is None or step > last_step):
            return step
    return None
