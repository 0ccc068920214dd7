"""HOPE support settings: environment variables prefixed HOPE_SUPPORT_."""

from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class SupportSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_SUPPORT_", extra="ignore")

    service_name: str = "support"
    port: int = 8103
