"""HOPE support settings: environment variables prefixed HOPE_SUPPORT_.

The key-encryption key (KEK) that wraps every person's data key comes from an environment secret
(`HOPE_SUPPORT_KEK`, base64 of 32 bytes) or a file holding that text (`HOPE_SUPPORT_KEK_FILE`). Rotation: give the
new key a new `kek_id`, list the old one in `retired_kek_files` (id → file) and run `rotate-keys`; once every person
key is re-wrapped the old one can go. Production refuses to start without a KEK; elsewhere medical data is
refused (503) until one is configured, rather than sealed under a key that would be lost.
"""

from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from hopekit.settings import ServiceSettings
from support_service.adapters.envelope import Envelope, KeyEncryptionKey


class SupportSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HOPE_SUPPORT_", extra="ignore")

    service_name: str = "support"
    port: int = 8103

    kek_id: str = "kek-1"
    kek: SecretStr | None = None
    kek_file: Path | None = None
    retired_kek_files: dict[str, Path] = {}

    @model_validator(mode="after")
    def _kek_in_production(self) -> "SupportSettings":
        if self.kek is not None and self.kek_file is not None:
            raise ValueError("give the key-encryption key as kek or kek_file, not both")
        if self.environment == "production" and self.kek is None and self.kek_file is None:
            raise ValueError("production needs a key-encryption key (kek or kek_file) for medical data")
        return self

    def envelope(self) -> Envelope | None:
        """The envelope made from the configured keys, or None when no KEK is configured."""
        if self.kek is not None:
            encoded = self.kek.get_secret_value()
        elif self.kek_file is not None:
            encoded = self.kek_file.read_text()
        else:
            return None
        retired = [
            KeyEncryptionKey.from_base64(key_id, path.read_text()) for key_id, path in self.retired_kek_files.items()
        ]
        return Envelope(KeyEncryptionKey.from_base64(self.kek_id, encoded), retired)
