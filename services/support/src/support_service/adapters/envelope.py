"""Envelope encryption of health data: AES-256-GCM, one data key per person, wrapped by a key-encryption key.

- Each person's data key is stored only wrapped, with the id of the key-encryption key (KEK) that wrapped it.
- Rotation: `rewrap` opens a wrapped data key with its old KEK and wraps it under the current one; the
  ciphertexts sealed with the data key are untouched.
- Associated data binds a ciphertext to the person, the kind of record and the record's id: a ciphertext
  copied onto another note or another person does not open.
- Shredding: deleting a person's wrapped data key (the repository's job) leaves every copy of their
  ciphertexts, backups included, unreadable; a new data key for the same person opens none of them.

No I/O: the KEKs come from settings as bytes, the wrapped keys and ciphertexts from the repositories.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
FORMAT_VERSION = b"\x01"  # first byte of every blob, so a later format can be told apart
_KEY_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class EnvelopeError(Exception):
    """Base of the envelope's errors; messages name ids, never plaintext or key material."""


class UnknownKeyEncryptionKey(EnvelopeError):
    pass


class Unreadable(EnvelopeError):
    """Wrong key, wrong person or record, altered bytes, or a shredded key: GCM cannot tell which, nor do we."""


@dataclass(frozen=True, repr=False)
class KeyEncryptionKey:
    key_id: str
    secret: bytes

    def __post_init__(self) -> None:
        if not _KEY_ID.fullmatch(self.key_id):
            raise ValueError("a key id is 1 to 64 letters, digits, '_', '.', ':' or '-'")
        if len(self.secret) != KEY_BYTES:
            raise ValueError(f"a key-encryption key is {KEY_BYTES} bytes")

    @classmethod
    def from_base64(cls, key_id: str, encoded: str) -> KeyEncryptionKey:
        """For settings that hold the key as text (an environment secret or a file's content)."""
        try:
            secret = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error as error:
            raise ValueError(f"key-encryption key {key_id} is not valid base64") from error
        return cls(key_id, secret)

    @staticmethod
    def generate() -> bytes:
        return AESGCM.generate_key(bit_length=KEY_BYTES * 8)

    def __repr__(self) -> str:
        return f"KeyEncryptionKey({self.key_id!r}, <secret>)"


@dataclass(frozen=True)
class WrappedDataKey:
    """What the database keeps of a person's data key: its wrapped bytes and the id of the KEK that wrapped it."""

    beneficiary_id: UUID
    kek_id: str
    wrapped: bytes


class Envelope:
    """Seals and opens a person's health data; `current` wraps new keys, older KEKs only unwrap until rotated."""

    def __init__(self, current: KeyEncryptionKey, retired: Iterable[KeyEncryptionKey] = ()) -> None:
        self.current = current
        self._keks = {kek.key_id: kek for kek in retired}
        self._keks[current.key_id] = current

    def new_data_key(self, beneficiary_id: UUID) -> WrappedDataKey:
        return self._wrap(beneficiary_id, AESGCM.generate_key(bit_length=KEY_BYTES * 8))

    def rewrap(self, key: WrappedDataKey) -> WrappedDataKey:
        """The same data key, wrapped under the current KEK; unchanged if it already is."""
        if key.kek_id == self.current.key_id:
            return key
        return self._wrap(key.beneficiary_id, self._unwrap(key))

    def unwrapped(self, key: WrappedDataKey) -> DataKey:
        """The person's data key, unwrapped once for every record a request seals or opens with it."""
        return DataKey(key.beneficiary_id, AESGCM(self._unwrap(key)))

    def seal(self, key: WrappedDataKey, kind: str, record_id: UUID, plaintext: str) -> bytes:
        return self.unwrapped(key).seal(kind, record_id, plaintext)

    def open(self, key: WrappedDataKey, kind: str, record_id: UUID, blob: bytes) -> str:
        return self.unwrapped(key).open(kind, record_id, blob)

    def _wrap(self, beneficiary_id: UUID, data_key: bytes) -> WrappedDataKey:
        kek = self.current
        nonce = os.urandom(NONCE_BYTES)
        wrapped = AESGCM(kek.secret).encrypt(nonce, data_key, _wrapping(beneficiary_id, kek.key_id))
        return WrappedDataKey(beneficiary_id, kek.key_id, FORMAT_VERSION + nonce + wrapped)

    def _unwrap(self, key: WrappedDataKey) -> bytes:
        kek = self._keks.get(key.kek_id)
        if kek is None:
            raise UnknownKeyEncryptionKey(f"no key-encryption key {key.kek_id} in settings")
        if key.wrapped[:1] != FORMAT_VERSION:
            raise Unreadable(f"data key of {key.beneficiary_id}: unknown format")
        nonce, wrapped = key.wrapped[1 : 1 + NONCE_BYTES], key.wrapped[1 + NONCE_BYTES :]
        try:
            return AESGCM(kek.secret).decrypt(nonce, wrapped, _wrapping(key.beneficiary_id, kek.key_id))
        except InvalidTag:
            raise Unreadable(f"data key of {key.beneficiary_id}: does not unwrap") from None


class DataKey:
    """One person's data key in the clear, held only for the request that needs it (never stored, never shown)."""

    def __init__(self, beneficiary_id: UUID, aead: AESGCM) -> None:
        self.beneficiary_id = beneficiary_id
        self._aead = aead

    def seal(self, kind: str, record_id: UUID, plaintext: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        bound = _bound(self.beneficiary_id, kind, record_id)
        return FORMAT_VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode(), bound)

    def open(self, kind: str, record_id: UUID, blob: bytes) -> str:
        if blob[:1] != FORMAT_VERSION or len(blob) < 1 + NONCE_BYTES + 16:
            raise Unreadable(f"{kind} {record_id}: not a sealed value")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            plain = self._aead.decrypt(nonce, sealed, _bound(self.beneficiary_id, kind, record_id))
        except InvalidTag:
            raise Unreadable(f"{kind} {record_id}: does not open with this person's key") from None
        return plain.decode()

    def __repr__(self) -> str:
        return f"DataKey({self.beneficiary_id}, <secret>)"


def _wrapping(beneficiary_id: UUID, kek_id: str) -> bytes:
    # A wrapped key moved to another person's row, or relabelled with another KEK id, does not unwrap.
    return b"hope.support.dek.v1|" + beneficiary_id.bytes + b"|" + kek_id.encode()


def _bound(beneficiary_id: UUID, kind: str, record_id: UUID) -> bytes:
    return b"hope.support.data.v1|" + beneficiary_id.bytes + b"|" + kind.encode() + b"|" + record_id.bytes
