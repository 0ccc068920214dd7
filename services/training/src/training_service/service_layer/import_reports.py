"""An import's full list of rejections, downloaded apart from its answer, by the organisation that imported."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable
from uuid import UUID

from hopekit.errors import NotFound
from hopekit.identity.principal import Principal
from training_service.adapters.imports import StoredImport
from training_service.adapters.unit_of_work import TrainingUnitOfWork

_PIECE = 1 << 20
"""Inflated a piece at a time: a part of junk repeated a million times inflates a hundredfold."""


async def stored_import(uow: TrainingUnitOfWork, principal: Principal, import_id: UUID) -> StoredImport:
    """The import, for the organisation that made it; to anyone else it does not exist."""
    found = await uow.imports.find(import_id)
    if found is None or found.org_id != principal.org_id:
        raise NotFound.of("attendance import")
    return found


async def rejections_csv(uow_factory: Callable[[], TrainingUnitOfWork], stored: StoredImport) -> AsyncIterator[bytes]:
    """The rejections as CSV text (line, beneficiary_id, reason, detail), read one stored part at a time, each in
    its own short transaction: a slow download holds no connection between parts."""
    inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    for number in range(stored.parts):
        async with uow_factory() as uow:
            data = await uow.imports.part(stored.id, number)
        pending = data
        while True:
            piece = inflate.decompress(pending, _PIECE)
            if piece:
                yield piece
            pending = inflate.unconsumed_tail
            # A full piece may leave output inside the inflater even once the input is consumed.
            if not pending and len(piece) < _PIECE:
                break
    if tail := inflate.flush():
        yield tail
