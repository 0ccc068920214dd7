"""Refusals that come from the service's configuration rather than the domain."""

from typing import ClassVar


class EncryptionUnavailable(Exception):
    """No key-encryption key is configured: medical data is refused rather than stored unprotected."""

    category: ClassVar[str] = "unavailable"
    code: ClassVar[str] = "encryption_unavailable"

    def __init__(self) -> None:
        super().__init__("medical data cannot be sealed or opened: no key-encryption key is configured")
        self.detail = str(self)
