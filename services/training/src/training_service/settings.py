"""Training settings: environment variables prefixed HOPE_TRAINING_."""

from decimal import Decimal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings


class TrainingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_TRAINING_", extra="ignore")

    service_name: str = "training"
    port: int = 8102
    absence_rate_threshold: Decimal = Field(default=Decimal("0.80"), ge=0, le=1)
    import_batch_size: int = Field(default=2000, ge=1, le=50_000)
    import_max_bytes: int = Field(default=200 * 1024 * 1024, ge=1024)
    # The import's answer shows this many rejected rows (the first by line); the full list is downloaded apart.
    import_rejections_shown: int = Field(default=100, ge=0, le=10_000)
