"""Enrolment settings: environment variables prefixed HOPE_ENROLMENT_."""

from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class EnrolmentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_ENROLMENT_", extra="ignore")

    service_name: str = "enrolment"
    port: int = 8101
