"""``hope demo``: plays a programme against a running platform, with a progress bar and a summary."""

from __future__ import annotations

import asyncio
import json
import time
from decimal import Decimal
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hope_infra.demo.cohort_path import PHASES
from hope_infra.demo.gateway import Credentials
from hope_infra.demo.programme import DemoOptions, Tally, cohort_sizes, play_programme


def wait_for_gateway(gateway_url: str, admin_client: Path, timeout_s: float) -> None:
    """Until the gateway answers ready and the operator's admin client exists (``make run`` writes it)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if admin_client.exists() and httpx.get(f"{gateway_url}/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the gateway at {gateway_url} is not ready after {timeout_s:.0f}s")
        time.sleep(1)


def run_demo(gateway_url: str, admin_client: Path, options: DemoOptions, console: Console) -> Tally:
    stored = json.loads(admin_client.read_text())
    admin = Credentials(stored["client_id"], stored["client_secret"])
    cohorts = len(cohort_sizes(options.size, options.figures))
    columns = (TextColumn("{task.description:<34}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        tasks = {
            "partners": progress.add_task("partners, employers, agreements", total=1),
            "registered": progress.add_task("people registered (OFII, step 1)", total=options.size),
            "phases": progress.add_task("cohort phases (steps 2 to exit)", total=cohorts * len(PHASES)),
            "claims": progress.add_task("claims paid", total=1),
        }
        tally = asyncio.run(
            play_programme(gateway_url, admin, options, lambda what, n: progress.advance(tasks[what], n))
        )
    console.print(summary(tally))
    console.print(figure_readers(tally))
    return tally


def summary(tally: Tally) -> Table:
    table = Table(title="HOPE demo programme")
    table.add_column("what")
    table.add_column("count", justify="right")
    members = [m for c in tally.cohorts for m in c.members]
    staying = [m for m in members if m.fate.withdraws is None]
    rows = [
        ("people", len(members)),
        ("cohorts", len(tally.cohorts)),
        ("withdrawn in step 3", len(members) - len(staying)),
        ("French certified (B1 or above)", sum(m.fate.french_level in {"B1", "B2"} for m in staying)),
        ("trade qualification awarded", sum(m.fate.qualified for m in staying)),
        ("employed at exit", sum(m.fate.employed_at_exit for m in staying)),
        ("work-study contracts", sum(len(c.contracts) for c in tally.cohorts)),
        ("attendance rows imported", sum(int(str(i["applied"])) for c in tally.cohorts for i in c.imports)),
        ("claims paid", len(tally.claims_paid)),
    ]
    for what, count in rows:
        table.add_row(what, str(count))
    return table


def figure_readers(tally: Tally) -> Table:
    """The clients that read the programme's figures (reporting:read, role reporting): their secrets are shown
    once and the demo keeps none, so an operator's admin rotates one to use it."""
    table = Table(
        title="Who reads the figures (reporting:read)",
        caption="a secret: POST /admin/v1/clients/{client_id}/rotate-secret with the operator's admin client",
    )
    for column in ("organisation", "kind", "client_id"):
        table.add_column(column)
    for name, kind, client_id in tally.figure_readers:
        table.add_row(name, kind, client_id)
    return table


def employed_share(tally: Tally) -> Decimal:
    staying = [m for c in tally.cohorts for m in c.members if m.fate.withdraws is None]
    return Decimal(sum(m.fate.employed_at_exit for m in staying)) / max(1, len(staying))
