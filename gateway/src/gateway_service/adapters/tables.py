"""The gateway schema: partner organisations, their API clients and people, sessions, the token signing keys and
token denials."""

from sqlalchemy import JSON, BigInteger, Boolean, Column, ForeignKey, Integer, LargeBinary, String, Table, Uuid

from hopekit.db.kit_tables import add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.db.types import UTCDateTime

metadata = make_metadata()
kit = add_kit_tables(metadata)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("org_kind", String(40), nullable=False),
    Column("siret", String(14), nullable=True, unique=True),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

api_clients = Table(
    "api_clients",
    metadata,
    Column("client_id", String(64), primary_key=True),
    Column("org_id", Uuid, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    # argon2id hash only: the secret itself is shown once, at creation or rotation.
    Column("secret_hash", String(200), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("secret_rotated_at", UTCDateTime, nullable=True),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    # PKCS#8 PEM encrypted with the gateway's key encryption secret.
    Column("private_pem", LargeBinary, nullable=False),
    Column("public_jwk", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("retired_at", UTCDateTime, nullable=True),
)

# Used when no Redis is configured: which tokens are refused before their expiry (domain.revocation).
token_denials = Table(
    "token_denials",
    metadata,
    Column("holder", String(120), primary_key=True),
    # Epoch seconds, compared with the tokens' own ``iat``.
    Column("issued_until", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False, index=True),
)

# People who sign in (domain.people): no API client secret, a password (argon2id) and a second factor.
people = Table(
    "people",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("org_id", Uuid, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("locale", String(5), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("password_hash", String(200), nullable=True),
    # AES-GCM under a key derived from the gateway's key encryption secret.
    Column("totp_secret", LargeBinary, nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_sign_in_at", UTCDateTime, nullable=True),
)

invitations = Table(
    "invitations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("invited_by", String(160), nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
    Column("resets_second_factor", Boolean, nullable=False),
)

# Server-side sessions: the cookie holds a random token, this table its SHA-256 only.
person_sessions = Table(
    "person_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("person_id", Uuid, ForeignKey("people.id"), nullable=False, index=True),
    Column("org_id", Uuid, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime, nullable=True),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("end_reason", String(40), nullable=True),
)
