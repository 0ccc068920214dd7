"""HOPE employment settings: environment variables prefixed HOPE_EMPLOYMENT_."""

from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class EmploymentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_EMPLOYMENT_", extra="ignore")

    service_name: str = "employment"
    port: int = 8105
