"""The token endpoint's own refusals (OAuth2 error documents, not problems). The use cases' not found and
conflict are the kit's (hopekit.errors)."""


class TokenRefused(Exception):
    """An OAuth2 token request refused with an RFC 6749 §5.2 error code."""

    def __init__(self, error: str, description: str, status: int = 400, retry_after_s: int | None = None) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.retry_after_s = retry_after_s
