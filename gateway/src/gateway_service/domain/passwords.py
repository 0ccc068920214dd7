"""The password policy (NIST SP 800-63B §5.1.1.2): long enough, not absurdly long, not a known or trivial
password, not the account's own name; no composition rules, which make passwords harder to remember and no
harder to guess."""

from __future__ import annotations

MIN_LENGTH = 12
# argon2 hashes any length, but an unbounded one lets a caller spend the gateway's CPU.
MAX_LENGTH = 128

# The most common passwords of at least MIN_LENGTH in public breach lists, and the programme's obvious ones.
_KNOWN = frozenset(
    {
        "123456789012",
        "1234567890123",
        "qwertyuiopas",
        "qwertyuiop123",
        "azertyuiop123",
        "password1234",
        "password12345",
        "passwordpassword",
        "motdepasse123",
        "motdepasse1234",
        "iloveyou1234",
        "administrator",
        "administrateur",
        "welcome12345",
        "bienvenue123",
        "bienvenue1234",
        "hopehopehope",
        "akto12345678",
        "changeme1234",
        "letmein12345",
    }
)


class PasswordRejected(Exception):
    """``reasons``: codes the sign-in pages translate (too_short, too_long, too_common, contains_email,
    too_few_characters)."""

    code = "password_rejected"
    category = "unprocessable"

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("the password does not meet the policy: " + ", ".join(reasons))
        self.reasons = reasons

    def details(self) -> dict[str, object]:
        return {
            "errors": [
                {"location": "body", "field": "password", "pointer": "/password", "type": reason, "message": reason}
                for reason in self.reasons
            ]
        }


def password_problems(password: str, email: str) -> list[str]:
    """Every reason the password is refused, empty when it is accepted."""
    reasons = []
    if len(password) < MIN_LENGTH:
        reasons.append("too_short")
    if len(password) > MAX_LENGTH:
        reasons.append("too_long")
    lowered = password.lower()
    if lowered in _KNOWN:
        reasons.append("too_common")
    local_part = email.partition("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        reasons.append("contains_email")
    # "aaaaaaaaaaaa" or "abababababab": long, and guessed at once.
    if len(set(password)) < 5:
        reasons.append("too_few_characters")
    return reasons


def check_password(password: str, email: str) -> None:
    reasons = password_problems(password, email)
    if reasons:
        raise PasswordRejected(reasons)
