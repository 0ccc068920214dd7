"""The settings every service shares; each service subclasses it with its own env prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class ServiceSettings(BaseSettings):
    """Subclasses set ``service_name`` and ``model_config = SettingsConfigDict(env_prefix="HOPE_<NAME>_")``."""

    model_config = SettingsConfigDict(env_prefix="HOPE_", extra="ignore")

    service_name: str = "service"
    environment: Environment = "development"
    host: str = "127.0.0.1"
    port: int = Field(default=8100, ge=1, le=65535)

    database_url: str = ""
    database_pool_size: int = Field(default=10, ge=1, le=200)
    var_dir: Path = Path("var")

    kafka_bootstrap: str | None = None
    relay_enabled: bool = True
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    relay_poll_interval_s: float = Field(default=1.0, gt=0, le=60)
    consumer_max_attempts: int = Field(default=5, ge=1, le=100)
    consumer_backoff_s: float = Field(default=0.2, ge=0, le=60)
    # The service's scheduled jobs (``ServiceDefinition.scheduled``); off where a test runs them by hand.
    scheduled_jobs_enabled: bool = True

    jwt_issuer: str = "https://gateway.hope.local"
    jwt_audience: str = "hope-platform"
    jwt_public_keys_path: Path | None = None
    jwks_url: str | None = None

    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _embedded_defaults(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.var_dir / (self.service_name + '.db')}"
        if self.environment == "production":
            if self.jwks_url is None:
                raise ValueError("production needs jwks_url: tokens are verified against the gateway's keys")
            self.jwt_public_keys_path = None  # development keys are never trusted in production
        elif self.jwt_public_keys_path is None:
            # Outside production the local development key (``hope dev-token``) is trusted too.
            self.jwt_public_keys_path = self.var_dir / "keys" / "public.jwks.json"
        return self

    @property
    def topic(self) -> str:
        return f"hope.{self.service_name}.events"

    @property
    def event_source(self) -> str:
        return f"/hope/{self.service_name}"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")
