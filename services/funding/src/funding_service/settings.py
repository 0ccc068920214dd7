"""HOPE funding settings: environment variables prefixed HOPE_FUNDING_."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class FundingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_FUNDING_", extra="ignore")

    service_name: str = "funding"
    port: int = 8104
    # How often the running service counts open support files' months (a month counts from its first day; a run
    # that finds the count current adds nothing): hourly catches a month's start within the hour.
    support_count_interval_s: float = Field(default=3600.0, ge=1, le=86_400)
