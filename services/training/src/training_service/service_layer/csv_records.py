"""Reading an uploaded CSV file record by record: its encoding, its physical lines, RFC 4180 records
that may span several lines, each numbered by the line it starts on.

Memory stays flat: the file is read line by line, and neither a line nor a record may grow past a bound.
A line that cannot be decoded, is too long, or a quote that never closes loses only its own record.
"""

from __future__ import annotations

import codecs
import csv
from collections import deque
from collections.abc import Iterator
from typing import IO, Any, Final

from training_service.domain.errors import DomainError
from training_service.service_layer.rejections import Rejection, RejectionSink

_SCAN_CHUNK = 1 << 20
MAX_LINE_BYTES = 64 * 1024
"""A physical line longer than this is rejected (a sheet's line is a few hundred bytes)."""
MAX_RECORD_LINES = 50
"""A quoted field still open after this many lines is taken as a quote that was never closed."""


class FileRejected(DomainError):
    """The file as a whole cannot be read (encoding, header); nothing was applied."""

    code = "file_rejected"
    category = "unprocessable"

    def __init__(self, reason: str, detail: str, **facts: object) -> None:
        super().__init__(detail)
        self.reason = reason
        self.facts = facts

    def details(self) -> dict[str, Any]:
        return {"reason": self.reason, **self.facts}


def detect_encoding(raw: IO[bytes], declared: str | None) -> str:
    """The file's encoding, checked without holding it in memory; the file is rewound."""
    head = raw.read(65536)
    raw.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        raise FileRejected("unsupported_encoding", "the file looks like UTF-16 or binary; send UTF-8 or Windows-1252")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if declared is not None:
        return declared
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := raw.read(_SCAN_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    raw.seek(0)
    return encoding


class RecordTooLong(Exception):
    """A quoted field opened and not closed within MAX_RECORD_LINES lines."""


class PhysicalLines(Iterator[str]):
    """The file's physical lines for ``csv.reader``, decoded one by one and numbered.

    ``first`` and ``number`` are the first and last line of the record being read. A line that cannot
    be decoded or is too long is still handed on (so the quoting stays in step) and noted in ``flaws``.
    The lines of the current record are kept (at most MAX_RECORD_LINES), so that after a quote that
    never closes, reading resumes on the line after the one that opened it.
    """

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self._raw = raw
        self._bom = encoding == "utf-8-sig"
        self._encoding = "utf-8" if self._bom else encoding
        self._read = 0
        self._record: list[tuple[int, str]] = []
        self._replay: deque[tuple[int, str]] = deque()
        self.first = 1
        self.number = 0
        self.flaws: dict[int, str] = {}
        self.ended_inside_record = False

    def __iter__(self) -> PhysicalLines:
        return self

    def __next__(self) -> str:
        record = self._record
        if len(record) >= MAX_RECORD_LINES:
            raise RecordTooLong
        if self._replay:
            number, text = self._replay.popleft()
        else:
            line = self._raw.readline(MAX_LINE_BYTES)
            if not line:
                self.ended_inside_record = bool(record)
                raise StopIteration
            self._read += 1
            number = self._read
            text = self._decode(number, line)
        if not record:
            self.first = number
        record.append((number, text))
        self.number = number
        return text

    def _decode(self, number: int, line: bytes) -> str:
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := self._raw.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            self.flaws[number] = "line_too_long"
            return "\n"
        try:
            text = line.decode(self._encoding)
        except UnicodeDecodeError:
            self.flaws[number] = "invalid_encoding"
            text = line.decode(self._encoding, "replace")
        if number == 1 and self._bom:
            text = text.removeprefix("\ufeff")
        return text

    def start_record(self) -> None:
        self._record.clear()
        self.ended_inside_record = False

    def peek(self) -> str | None:
        """The next line, handed out again by the next read."""
        try:
            text = next(self)
        except StopIteration:
            return None
        self._replay.appendleft(self._record.pop())
        return text

    def resume_after_first(self) -> None:
        """Read the current record's lines again, all but the first."""
        self.flaws.pop(self.first, None)
        self._replay.extendleft(reversed(self._record[1:]))
        self._record.clear()

    def flaws_until(self, last: int) -> list[tuple[int, str]]:
        """The flawed lines up to ``last``, forgotten once told."""
        found = sorted((number, reason) for number, reason in self.flaws.items() if number <= last)
        for number, _ in found:
            del self.flaws[number]
        return found


_FLAW_DETAILS: Final = {
    "invalid_encoding": "line {line} is not valid {encoding}",
    "line_too_long": f"line {{line}} is longer than {MAX_LINE_BYTES} bytes",
}


def records(
    lines: PhysicalLines, reader: Iterator[list[str]], encoding: str, rejections: RejectionSink
) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records with the line each starts on; those that cannot be read go to ``rejections``."""
    while True:
        lines.start_record()
        try:
            fields = next(reader)
        except StopIteration:
            return
        except RecordTooLong:
            rejections.append(_unclosed(lines.first, f"within {MAX_RECORD_LINES} lines"))
            lines.resume_after_first()
            continue
        except csv.Error as error:
            rejections.append(Rejection(lines.first, None, "malformed_csv", str(error)))
            lines.flaws_until(lines.number)
            continue
        number = lines.first
        if lines.flaws:
            flawed = lines.flaws_until(lines.number)
            if flawed:
                line, reason = flawed[0]
                detail = _FLAW_DETAILS[reason].format(line=line, encoding=encoding)
                rejections.append(Rejection(number, None, reason, detail))
                continue
        if lines.ended_inside_record:
            rejections.append(_unclosed(number, "before the end of the file"))
            lines.resume_after_first()
            continue
        if fields and (len(fields) > 1 or fields[0].strip()):
            yield number, fields


def _unclosed(line: int, where: str) -> Rejection:
    return Rejection(line, None, "unclosed_quote", f"a quoted field opened on line {line} is not closed {where}")
