"""Sealing and opening a person's health data with their data key, created on first use in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from support_service.adapters.envelope import DataKey, Envelope, EnvelopeError, WrappedDataKey
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.service_layer.errors import EncryptionUnavailable


def _required(envelope: Envelope | None) -> Envelope:
    if envelope is None:
        raise EncryptionUnavailable()
    return envelope


async def key_for(uow: SupportUnitOfWork, envelope: Envelope | None, beneficiary_id: UUID) -> WrappedDataKey:
    _required(envelope)
    key = await uow.keys.get(beneficiary_id)
    if key is None:
        key = _required(envelope).new_data_key(beneficiary_id)
        await uow.keys.add(key, datetime.now(UTC))
    return key


async def seal(
    uow: SupportUnitOfWork, envelope: Envelope | None, beneficiary_id: UUID, kind: str, record_id: UUID, text: str
) -> bytes:
    key = await key_for(uow, envelope, beneficiary_id)
    return _unwrapped(_required(envelope), key).seal(kind, record_id, text)


async def readable_key(uow: SupportUnitOfWork, envelope: Envelope | None, beneficiary_id: UUID) -> DataKey:
    """The person's existing data key, read and unwrapped once for everything a request opens (or seals beside
    what it opens): one query and one unwrap, however many versions a note has."""
    opened = _required(envelope)
    key = await uow.keys.get(beneficiary_id)
    if key is None:
        # Only after erasure: the person's key is gone, and with it every way to read this.
        raise EncryptionUnavailable()
    return _unwrapped(opened, key)


def open_sealed(key: DataKey, kind: str, record_id: UUID, blob: bytes) -> str:
    try:
        return key.open(kind, record_id, blob)
    except EnvelopeError as error:
        raise EncryptionUnavailable() from error


async def unseal(
    uow: SupportUnitOfWork, envelope: Envelope | None, beneficiary_id: UUID, kind: str, record_id: UUID, blob: bytes
) -> str:
    return open_sealed(await readable_key(uow, envelope, beneficiary_id), kind, record_id, blob)


def _unwrapped(envelope: Envelope, key: WrappedDataKey) -> DataKey:
    try:
        return envelope.unwrapped(key)
    except EnvelopeError as error:
        # A key wrapped by a KEK no longer (or not yet) in settings: a configuration fault, never a data answer.
        raise EncryptionUnavailable() from error


async def rotate(uow: SupportUnitOfWork, envelope: Envelope, batch: int = 500) -> int:
    """Re-wraps up to `batch` data keys under the current KEK; the ciphertexts are untouched. Returns how many."""
    keys = await uow.keys.not_wrapped_by(envelope.current.key_id, batch)
    now = datetime.now(UTC)
    for key in keys:
        await uow.keys.replace(envelope.rewrap(key), now)
    return len(keys)
