import asyncio
import uuid
from datetime import UTC, datetime

import pytest

from gateway_service.adapters.signing_keys import StoredKey
from gateway_service.domain.identity import ApiClient, InvalidSiret, Organisation, UnknownScopes, valid_siret
from gateway_service.service_layer.credentials import hash_secret, new_secret, secret_matches
from gateway_service.service_layer.keys import decrypt_key, encrypt_key
from hope_contracts.vocabulary import OrgKind, Role
from hopekit.identity.keys import generate_signing_key


def test_siret_check_digit() -> None:
    assert valid_siret("73282932000074")
    assert not valid_siret("73282932000075")
    assert not valid_siret("7328293200007")
    with pytest.raises(InvalidSiret):
        Organisation(uuid.uuid4(), "X", OrgKind.EMPLOYER, "12345678901234", True, datetime.now(UTC))


async def test_secrets_are_stored_as_argon2id_hashes_only() -> None:
    secret = new_secret()
    stored = await hash_secret(secret)
    assert stored.startswith("$argon2id$")
    assert secret not in stored
    assert await secret_matches(secret, stored)
    assert not await secret_matches(secret + "x", stored)
    assert not await secret_matches(secret, None)
    assert not await secret_matches(secret, "not-a-hash")


async def test_secret_checks_leave_the_event_loop_free() -> None:
    stored = await hash_secret("s" * 43)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    try:
        assert await secret_matches("s" * 43, stored)
    finally:
        ticker.cancel()
    # An argon2id check run on the loop itself would let the ticker run at most once.
    assert ticks > 1


def test_scopes_requested_must_be_allowed() -> None:
    client = ApiClient("c", uuid.uuid4(), "n", "h", frozenset({Role.READER}), frozenset({"a", "b"}), datetime.now(UTC))
    assert client.granted_scopes(None) == {"a", "b"}
    assert client.granted_scopes("a") == {"a"}
    with pytest.raises(UnknownScopes):
        client.granted_scopes("a c")


def test_private_keys_are_encrypted_at_rest() -> None:
    key = generate_signing_key()
    encrypted = encrypt_key(key, b"secret")
    assert b"ENCRYPTED PRIVATE KEY" in encrypted
    stored = StoredKey(key.kid, encrypted, key.public_jwk(), datetime.now(UTC), None)
    assert decrypt_key(stored, b"secret").private_pem == key.private_pem
    with pytest.raises(ValueError):
        decrypt_key(stored, b"wrong")
