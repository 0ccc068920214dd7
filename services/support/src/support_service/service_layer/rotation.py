"""Key rotation: every person's data key re-wrapped under the current key-encryption key, batch by batch, each
batch in its own transaction. Ciphertexts are untouched; once none is left the retired KEK can leave settings."""

from __future__ import annotations

from hopekit.uow import Database
from support_service.adapters.envelope import Envelope
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.service_layer import sealing


async def rotate_keys(database: Database, envelope: Envelope, batch: int = 500) -> int:
    total = 0
    while True:
        async with SupportUnitOfWork(database) as uow:
            done = await sealing.rotate(uow, envelope, batch)
            await uow.commit()
        total += done
        if done < batch:
            return total
