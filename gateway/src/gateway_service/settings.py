"""Gateway settings: environment variables prefixed HOPE_GATEWAY_."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from gateway_service.routing.service_client import Origin
from hope_contracts import registry
from hopekit.settings import ServiceSettings

# Every built service of the registry, on its development port.
DEFAULT_UPSTREAMS = registry.upstreams()

# Requests per window for each role; a client gets the most generous of its roles.
DEFAULT_RATE_LIMITS = {"admin": 600, "writer": 600, "reader": 1200, "medical": 300, "reporting": 120}


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_GATEWAY_", extra="ignore", env_nested_delimiter="__")

    service_name: str = "gateway"
    port: int = 8000
    # The gateway publishes its partner organisations' events (hope_contracts.gateway) through its outbox: with
    # HOPE_GATEWAY_KAFKA_BOOTSTRAP set, its relay sends them; without, they wait in the outbox.
    relay_enabled: bool = True

    token_ttl_s: int = Field(default=900, ge=60, le=3600)
    key_leeway_s: int = Field(default=300, ge=0, le=3600)
    # Encrypts the signing keys' private halves at rest; required in production.
    key_encryption_secret: SecretStr | None = None

    upstreams: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_UPSTREAMS))
    upstream_connect_timeout_s: float = Field(default=2.0, gt=0, le=60)
    upstream_read_timeout_s: float = Field(default=15.0, gt=0, le=600)
    # To each service, not in all: a service that hangs ties up its own connections only.
    upstream_max_connections: int = Field(default=200, ge=1, le=10_000)
    overview_timeout_s: float = Field(default=3.0, gt=0, le=60)
    docs_timeout_s: float = Field(default=3.0, gt=0, le=60)

    # What a caller may send before its request is known (gateway_service.http_protocol): the head's size and
    # number of header fields (431 past them), and the time to receive it all (408, the connection closed).
    head_max_bytes: int = Field(default=32 * 1024, ge=4096, le=1024 * 1024)
    head_max_fields: int = Field(default=100, ge=10, le=1000)
    head_timeout_s: float = Field(default=10.0, gt=0, le=300)

    # The training service's attendance imports (CSV files) have their own body limit, the same as training's own
    # (its HOPE_TRAINING_IMPORT_MAX_BYTES): the gateway's general max_body_bytes would refuse files training takes.
    import_max_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)

    rate_limits: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    rate_limit_window_s: int = Field(default=60, ge=1, le=3600)
    # POST /oauth/token attempts per window, per client id from one address and per address: a client needs one
    # token per token_ttl_s, so these are generous.
    token_attempts_per_client: int = Field(default=30, ge=1, le=1_000_000)
    token_attempts_per_address: int = Field(default=300, ge=1, le=1_000_000)
    token_attempts_window_s: int = Field(default=60, ge=1, le=3600)
    # Shared by every gateway instance: rate limit counters and the token deny-list (else memory / database).
    redis_url: str | None = None
    # How stale one instance's copy of the deny-list may be: a revocation made on another instance bites here
    # within this many seconds (at once on the instance that made it).
    revocation_refresh_s: float = Field(default=2.0, ge=0.05, le=60)

    # People's sign-in (docs/architecture.md, "People sign in"). Where the gateway is reached by browsers: the
    # invitation links name it.
    public_url: str = "http://127.0.0.1:8000"
    session_idle_timeout_s: int = Field(default=30 * 60, ge=60, le=24 * 3600)
    session_absolute_timeout_s: int = Field(default=12 * 3600, ge=300, le=7 * 24 * 3600)
    # Between the password and the second factor.
    second_factor_timeout_s: int = Field(default=10 * 60, ge=60, le=3600)
    invitation_ttl_s: int = Field(default=72 * 3600, ge=600, le=30 * 24 * 3600)
    # Failed attempts in a row (password or second factor) before an account is locked, and for how long.
    sign_in_max_failures: int = Field(default=5, ge=1, le=100)
    sign_in_lockout_s: int = Field(default=15 * 60, ge=1, le=24 * 3600)
    # Sign-in attempts per window from one source address, whichever accounts they aim at.
    sign_in_attempts_per_address: int = Field(default=30, ge=1, le=1_000_000)
    sign_in_attempts_window_s: int = Field(default=300, ge=1, le=3600)
    # Unset: Secure everywhere but development and test (plain http on 127.0.0.1).
    session_cookie_secure: bool | None = None

    # The gateway verifies with its own keys; this is what services are told to fetch.
    jwks_url: str | None = "http://127.0.0.1:8000/.well-known/jwks.json"

    @model_validator(mode="after")
    def _gateway_checks(self) -> GatewaySettings:
        # Partial overrides (HOPE_GATEWAY_UPSTREAMS__TRAINING=...) keep the other defaults.
        self.upstreams = {**DEFAULT_UPSTREAMS, **self.upstreams}
        self.rate_limits = {**DEFAULT_RATE_LIMITS, **self.rate_limits}
        for base in self.upstreams.values():
            # Checked at start-up rather than on the first request that needs the service.
            Origin.parse(base)
        if self.environment == "production" and self.key_encryption_secret is None:
            raise ValueError("production needs key_encryption_secret to protect the signing keys")
        return self

    @property
    def cookies_secure(self) -> bool:
        if self.session_cookie_secure is not None:
            return self.session_cookie_secure
        return self.environment == "production"

    def encryption_secret(self) -> bytes:
        if self.key_encryption_secret is not None:
            return self.key_encryption_secret.get_secret_value().encode()
        # Development only (refused in production above): a fixed, well-known secret.
        return b"hope-gateway-development-only"
