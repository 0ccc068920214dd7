"""The rows a recording refused, told in bounded memory whatever the file.

A sheet keeps every rejection (at most a few hundred lines). An import keeps the counts per reason and the
first rows by line number (a setting, 100 by default) for its answer; the full list goes to a spool, a
compressed CSV on disk, stored with the import once it is read so that the provider downloads it apart.
"""

from __future__ import annotations

import csv
import gzip
import heapq
import io
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Protocol
from uuid import UUID

SPOOL_PART_BYTES = 1 << 20
"""The spool is stored in parts of this size: one part at a time is in memory, on writing and on reading."""
_FLUSH_AT = 64 * 1024
CSV_HEADER = ("line", "beneficiary_id", "field", "reason", "message")


# The row's fields as an import names them (its canonical columns); a sheet names them by its entries' fields.
ROW_FIELDS = ("beneficiary_id", "date", "start", "status", "hours")


@dataclass(frozen=True)
class Rejection:
    """One refused row: where (its line and, when one field is at fault, which of ``ROW_FIELDS``; None for the
    row as a whole), why as a code to branch on (``reason``) and as a sentence for a person (``message``)."""

    line: int | None
    beneficiary_id: UUID | None
    reason: str
    message: str
    field: str | None = None


class RejectionSink(Protocol):
    def append(self, rejection: Rejection, /) -> None: ...


class RejectionSpool:
    """Every rejection as a row of a gzip-compressed CSV in a temporary file: a few bytes of memory per
    64 KiB of text, whatever the number of rows."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._gzip = gzip.GzipFile(fileobj=self._file, mode="wb", compresslevel=6)
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, lineterminator="\n")
        self._writer.writerow(CSV_HEADER)
        self._finished = False

    def append(self, rejection: Rejection) -> None:
        beneficiary = "" if rejection.beneficiary_id is None else str(rejection.beneficiary_id)
        line = "" if rejection.line is None else rejection.line
        self._writer.writerow((line, beneficiary, rejection.field or "", rejection.reason, rejection.message))
        if self._text.tell() >= _FLUSH_AT:
            self._flush()

    def _flush(self) -> None:
        self._gzip.write(self._text.getvalue().encode())
        self._text.seek(0)
        self._text.truncate()

    def parts(self) -> Iterator[bytes]:
        """The compressed CSV, complete, in parts of at most SPOOL_PART_BYTES (their concatenation is one gzip)."""
        if not self._finished:
            self._flush()
            self._gzip.close()
            self._finished = True
        self._file.seek(0)
        while part := self._file.read(SPOOL_PART_BYTES):
            yield part

    def close(self) -> None:
        self._gzip.close()
        self._file.close()


class RejectionLog:
    """What a recording refused: how many, per reason, and the first ``keep`` rows by line (all when ``keep``
    is None); every one also goes to ``spool`` when there is one."""

    def __init__(self, keep: int | None = None, spool: RejectionSink | None = None) -> None:
        self._keep = keep
        self._spool = spool
        self.count = 0
        self.by_reason: Counter[str] = Counter()
        self._all: list[Rejection] = []
        # The kept rows as a max-heap on the line (negated), so the latest is dropped when a smaller one comes;
        # rejections arrive nearly in line order (a batch's refusals come after the next batch's bad rows).
        self._first: list[tuple[int, int, Rejection]] = []

    def append(self, rejection: Rejection) -> None:
        self.count += 1
        self.by_reason[rejection.reason] += 1
        if self._spool is not None:
            self._spool.append(rejection)
        if self._keep is None:
            self._all.append(rejection)
            return
        entry = (-(rejection.line or 0), -self.count, rejection)
        if len(self._first) < self._keep:
            heapq.heappush(self._first, entry)
        elif self._first and entry > self._first[0]:
            heapq.heapreplace(self._first, entry)

    def first(self) -> list[Rejection]:
        """The rows kept, by line (the order found when several share a line)."""
        if self._keep is None:
            return sorted(self._all, key=lambda rejection: rejection.line or 0)
        return [rejection for _, _, rejection in sorted(self._first, reverse=True)]

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0
