"""Keys of PostgreSQL's two-key advisory locks: a class per kind of thing locked (its own constant where the lock is
taken), and the thing folded to the signed 32-bit integer the function takes."""

from __future__ import annotations

import zlib


def lock_key(thing: bytes) -> int:
    """``thing`` folded (CRC-32) into PostgreSQL's ``int4``: two things may share a key, which only makes them wait
    for each other now and then, never wrongly pass."""
    folded = zlib.crc32(thing)
    return folded - (1 << 32) if folded >= 1 << 31 else folded
