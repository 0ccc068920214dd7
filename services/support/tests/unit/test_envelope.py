from uuid import UUID, uuid4

import pytest

from support_service.adapters.envelope import (
    Envelope,
    KeyEncryptionKey,
    UnknownKeyEncryptionKey,
    Unreadable,
    WrappedDataKey,
)

PERSON = UUID(int=1)
OTHER = UUID(int=2)
NOTE = UUID(int=10)
SECRET = "Suivi psychologique : rendez-vous au CMP le 3 octobre."


@pytest.fixture
def kek_2025() -> KeyEncryptionKey:
    return KeyEncryptionKey("kek-2025", KeyEncryptionKey.generate())


@pytest.fixture
def envelope(kek_2025: KeyEncryptionKey) -> Envelope:
    return Envelope(kek_2025)


def test_a_sealed_note_opens_with_the_persons_key_and_holds_no_plaintext(envelope) -> None:
    key = envelope.new_data_key(PERSON)
    blob = envelope.seal(key, "note", NOTE, SECRET)
    assert SECRET.encode() not in blob
    assert b"CMP" not in blob
    assert envelope.open(key, "note", NOTE, blob) == SECRET


def test_the_same_text_sealed_twice_gives_different_ciphertexts(envelope) -> None:
    key = envelope.new_data_key(PERSON)
    assert envelope.seal(key, "note", NOTE, SECRET) != envelope.seal(key, "note", NOTE, SECRET)


def test_the_wrapped_key_names_its_kek_and_does_not_contain_the_data_key_in_clear(envelope, kek_2025) -> None:
    key = envelope.new_data_key(PERSON)
    assert key.kek_id == "kek-2025"
    assert key.beneficiary_id == PERSON
    assert len(key.wrapped) == 1 + 12 + 32 + 16


@pytest.mark.parametrize("position", [0, 5, 20, -1])
def test_a_changed_byte_anywhere_makes_the_ciphertext_unreadable(envelope, position) -> None:
    key = envelope.new_data_key(PERSON)
    blob = bytearray(envelope.seal(key, "note", NOTE, SECRET))
    blob[position] ^= 0x01
    with pytest.raises(Unreadable):
        envelope.open(key, "note", NOTE, bytes(blob))


def test_a_ciphertext_moved_to_another_note_or_record_kind_does_not_open(envelope) -> None:
    key = envelope.new_data_key(PERSON)
    blob = envelope.seal(key, "note", NOTE, SECRET)
    with pytest.raises(Unreadable):
        envelope.open(key, "note", uuid4(), blob)
    with pytest.raises(Unreadable):
        envelope.open(key, "need", NOTE, blob)


def test_a_wrapped_key_moved_to_another_person_does_not_unwrap(envelope) -> None:
    key = envelope.new_data_key(PERSON)
    blob = envelope.seal(key, "note", NOTE, SECRET)
    moved = WrappedDataKey(OTHER, key.kek_id, key.wrapped)
    with pytest.raises(Unreadable):
        envelope.open(moved, "note", NOTE, blob)


def test_another_persons_key_does_not_open_a_ciphertext(envelope) -> None:
    blob = envelope.seal(envelope.new_data_key(PERSON), "note", NOTE, SECRET)
    with pytest.raises(Unreadable):
        envelope.open(envelope.new_data_key(OTHER), "note", NOTE, blob)


def test_rotation_rewraps_data_keys_under_the_new_kek_and_old_ciphertexts_still_open(envelope, kek_2025) -> None:
    key = envelope.new_data_key(PERSON)
    blob = envelope.seal(key, "note", NOTE, SECRET)

    kek_2026 = KeyEncryptionKey("kek-2026", KeyEncryptionKey.generate())
    rotating = Envelope(kek_2026, retired=[kek_2025])
    rewrapped = rotating.rewrap(key)
    assert rewrapped.kek_id == "kek-2026"
    assert rewrapped.wrapped != key.wrapped
    assert rotating.rewrap(rewrapped) is rewrapped

    after = Envelope(kek_2026)  # the old KEK is gone from settings once every key is rewrapped
    assert after.open(rewrapped, "note", NOTE, blob) == SECRET
    with pytest.raises(UnknownKeyEncryptionKey):
        after.open(key, "note", NOTE, blob)


def test_a_wrapped_key_relabelled_with_another_kek_id_does_not_unwrap(kek_2025) -> None:
    other = KeyEncryptionKey("kek-2026", kek_2025.secret)
    envelope = Envelope(kek_2025, retired=[other])
    key = envelope.new_data_key(PERSON)
    blob = envelope.seal(key, "note", NOTE, SECRET)
    with pytest.raises(Unreadable):
        envelope.open(WrappedDataKey(PERSON, "kek-2026", key.wrapped), "note", NOTE, blob)


def test_after_shredding_a_new_key_for_the_same_person_opens_none_of_the_old_ciphertexts(envelope) -> None:
    shredded = envelope.new_data_key(PERSON)
    blob = envelope.seal(shredded, "note", NOTE, SECRET)
    del shredded  # what erasure does to the only stored copy of the wrapped key
    replacement = envelope.new_data_key(PERSON)
    with pytest.raises(Unreadable):
        envelope.open(replacement, "note", NOTE, blob)


def test_a_kek_must_be_32_bytes_with_a_code_as_id_and_never_shows_its_secret() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        KeyEncryptionKey("kek", b"short")
    with pytest.raises(ValueError, match="key id"):
        KeyEncryptionKey("kek 2025", bytes(32))
    kek = KeyEncryptionKey.from_base64("kek-b64", "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=")
    assert kek.secret == b"A" * 32
    assert "QUFB" not in repr(kek)
    assert "AAAA" not in repr(kek)
    with pytest.raises(ValueError, match="base64"):
        KeyEncryptionKey.from_base64("kek-b64", "not base64!")


def test_bytes_that_are_not_a_sealed_value_are_unreadable(envelope) -> None:
    key = envelope.new_data_key(PERSON)
    with pytest.raises(Unreadable):
        envelope.open(key, "note", NOTE, b"plain text stored by mistake")
    with pytest.raises(Unreadable):
        envelope.open(key, "note", NOTE, b"\x01short")
