"""HOPE reporting settings: environment variables prefixed HOPE_REPORTING_."""

from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_REPORTING_", extra="ignore")

    service_name: str = "reporting"
    port: int = 8106
