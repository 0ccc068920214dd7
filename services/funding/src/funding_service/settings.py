"""HOPE funding settings: environment variables prefixed HOPE_FUNDING_."""

from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class FundingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_FUNDING_", extra="ignore")

    service_name: str = "funding"
    port: int = 8104
