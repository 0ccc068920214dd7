"""Optional sampling profiles of the services while a section's load runs (``HOPE_BENCH_PROFILE_DIR``).

py-spy samples each service process from outside (no change to the service), and writes one collapsed-stack
file per service: ``<dir>/<service>.txt``, one line per stack with its sample count, ready for a flame graph
or for ``sort -k2``. Without the variable nothing runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

PROFILE_DIR = os.environ.get("HOPE_BENCH_PROFILE_DIR")


def _py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


@contextlib.contextmanager
def profiled(pids: Mapping[str, int]) -> Iterator[None]:
    """Samples the processes for as long as the block runs (nothing without ``HOPE_BENCH_PROFILE_DIR``)."""
    executable = _py_spy()
    if not PROFILE_DIR or executable is None:
        yield
        return
    folder = Path(PROFILE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    sampling = ["record", "--rate", "200", "--format", "raw", "--nonblocking"]
    recorders = [
        subprocess.Popen(
            [executable, *sampling, "--pid", str(pid), "--output", str(folder / f"{name}.txt")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]
    try:
        yield
    finally:
        # py-spy writes its file when interrupted.
        for recorder in recorders:
            recorder.send_signal(signal.SIGINT)
        for recorder in recorders:
            with contextlib.suppress(subprocess.TimeoutExpired):
                recorder.wait(timeout=30)
