"""``hope-training``: upload an attendance sheet (CSV) to the training API with a progress bar."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, BinaryIO
from uuid import UUID

import httpx
import typer
from tqdm import tqdm

app = typer.Typer(help="HOPE training commands.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """HOPE training commands."""


class _Progress:
    """A file whose reads move a progress bar: the upload streams, so memory stays flat."""

    def __init__(self, raw: BinaryIO, bar: tqdm[Any]) -> None:
        self._raw = raw
        self._bar = bar

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        self._bar.update(len(chunk))
        return chunk


@app.command("import-attendance")
def import_attendance(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The CSV sheet.")],
    course_id: Annotated[UUID, typer.Option(help="The course the sheet belongs to.")],
    url: Annotated[str, typer.Option(help="Training API base URL (or the gateway's /api/training).")] = (
        "http://127.0.0.1:8102"
    ),
    token: Annotated[str | None, typer.Option(help="Bearer token; defaults to $HOPE_TOKEN.")] = None,
    all_or_nothing: Annotated[bool, typer.Option(help="Apply nothing if any row is rejected.")] = False,
    encoding: Annotated[str | None, typer.Option(help="utf-8 or windows-1252; detected when omitted.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the report.")] = 600.0,
) -> None:
    """Upload a sheet and print the report, which lists every rejected row with its line number.

    Exit status: 0 when every row was applied; 1 when rows were rejected (the others were applied, unless
    --all-or-nothing); 2 when nothing was imported: the file or the call was refused, or the API is unreachable.
    """
    bearer = token or os.environ.get("HOPE_TOKEN")
    if not bearer:
        typer.echo("a token is needed: --token or HOPE_TOKEN", err=True)
        raise typer.Exit(code=2)
    params: dict[str, str] = {"course_id": str(course_id), "all_or_nothing": str(all_or_nothing).lower()}
    if encoding:
        params["encoding"] = encoding
    size = file.stat().st_size
    try:
        with file.open("rb") as raw, tqdm(total=size, unit="B", unit_scale=True, desc=file.name) as bar:
            response = httpx.post(
                f"{url.rstrip('/')}/v1/attendance-imports",
                params=params,
                files={"file": (file.name, _Progress(raw, bar), "text/csv")},  # type: ignore[dict-item]
                headers={"Authorization": f"Bearer {bearer}"},
                timeout=timeout,
            )
    except httpx.HTTPError as error:
        typer.echo(f"the training API at {url} did not answer: {error}", err=True)
        raise typer.Exit(code=2) from None
    try:
        report = response.json()
    except ValueError:
        typer.echo(f"HTTP {response.status_code}: {response.text[:500]}", err=True)
        raise typer.Exit(code=2) from None
    if isinstance(report, dict) and isinstance(report.get("report"), dict):
        # An all-or-nothing import that was refused: a problem document carrying the import's report.
        report = report["report"]
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    if not isinstance(report, dict) or "rejections" not in report:
        raise typer.Exit(code=2)  # a problem document: the file or the call was refused as a whole
    if report.get("rejected"):
        raise typer.Exit(code=1)
