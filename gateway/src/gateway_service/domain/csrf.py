"""CSRF tokens: an HMAC of what the browser's cookie holds (the session's token, or before sign-in a random
value of its own), so that a form or call is accepted only from a page this gateway served to that browser.
Nothing to store: the token is recomputed and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac

# Unsafe methods must prove it (RFC 9110 §9.2.1: the others change nothing).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def csrf_token(key: bytes, binding: str) -> str:
    return hmac.new(key, f"csrf:{binding}".encode(), hashlib.sha256).hexdigest()


def csrf_valid(key: bytes, binding: str | None, offered: str | None) -> bool:
    if not binding or not offered:
        return False
    return hmac.compare_digest(csrf_token(key, binding), offered)
