"""HOPE reporting settings: environment variables prefixed HOPE_REPORTING_."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_REPORTING_", extra="ignore")

    service_name: str = "reporting"
    port: int = 8106
    # How often the running service sums again the cohorts whose facts changed (``adapters.summaries``): an answer
    # sums what is left itself, so this is how long, at most, an answer after a quiet spell may have to do it.
    summary_interval_s: float = Field(default=5.0, gt=0, le=3600)
