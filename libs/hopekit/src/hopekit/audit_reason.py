"""What an audit row's reason says when it is longer than the audit log's column holds (a reporting export's
filters can be): every service's rows are fitted by the unit of work (``hopekit.uow``)."""

from __future__ import annotations

import hashlib

DIGEST = "sha256:"


def fitted_reason(reason: str, limit: int) -> str:
    """The reason as it is when it fits; else its readable start, an ellipsis, and a digest of the whole (the first
    16 hex digits of its SHA-256, stable: the same filters give the same digest), ``limit`` characters at most. The
    start names the format and the first filters; the digest ties the row to the full filters, which a reader
    recomputes from the request to check (``fitted_reason(full, limit)`` gives the same row)."""
    if len(reason) <= limit:
        return reason
    tail = f"… {DIGEST}{hashlib.sha256(reason.encode()).hexdigest()[:16]}"
    return reason[: limit - len(tail)].rstrip() + tail
