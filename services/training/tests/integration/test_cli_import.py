"""``hope-training import-attendance`` as a provider runs it: a separate process uploading a CSV sheet to the
service listening on a real port, on SQLite and PostgreSQL. Its report goes to stdout; its exit status says
whether every row (0), some rows (1) or nothing (2) was imported."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from hope_contracts.vocabulary import OrgKind, Role
from hopekit.testing import TokenIssuer
from training_service.main import create_app

from .conftest import settings_for
from .programme import RECORDED, SCHOOL, Programme, days_ago, outbox

pytestmark = pytest.mark.integration

HOPE_TRAINING = Path(sys.executable).with_name("hope-training")


@pytest.fixture
def served(database_url: str, issuer: TokenIssuer) -> Iterator[str]:
    """The service on a free local port, in a thread of its own; its base URL."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(settings_for(database_url, issuer)), log_config=None, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the training service stopped while starting"
        assert time.monotonic() < deadline, "the training service did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listening.close()


async def hope_training(*args: str, token: str | None) -> tuple[int, str, str]:
    """Run the command; its exit status, stdout and stderr."""
    env = {name: value for name, value in os.environ.items() if name != "HOPE_TOKEN"}
    if token is not None:
        env["HOPE_TOKEN"] = token
    process = await asyncio.create_subprocess_exec(
        str(HOPE_TRAINING),
        "import-attendance",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def french(day: str) -> str:
    return date.fromisoformat(day).strftime("%d/%m/%Y")


async def a_course(programme: Programme) -> tuple[dict[str, Any], list[uuid.UUID]]:
    group = await programme.cohort(size=2)
    course = await programme.course(cohort=group)
    for held_on in (days_ago(3), days_ago(2)):
        await programme.session(course, held_on)
    return course, group.people


async def test_a_sheet_is_imported_and_rejected_rows_are_reported_with_their_line(
    programme: Programme, served: str, issuer: TokenIssuer, database_url: str, tmp_path: Path
) -> None:
    course, (amina, omar) = await a_course(programme)
    token = issuer.token(OrgKind.TRAINING_PROVIDER, Role.WRITER, org_id=SCHOOL)
    target = ("--course-id", course["id"], "--url", served)
    sheet = tmp_path / "émargement.csv"  # as a spreadsheet saves it on Windows: cp1252, ";" and decimal commas
    sheet.write_bytes(
        (
            "beneficiaire;date;heure_debut;statut;heures\n"
            f"{amina};{french(days_ago(3))};09:00;présent;4\n"
            f"{omar};{french(days_ago(3))};09h00;absent;0\n"
            f"{amina};{french(days_ago(2))};09:00;présent;3,5\n"
        ).encode("cp1252")
    )

    status, out, err = await hope_training(str(sheet), *target, token=token)

    assert status == 0, err
    report = json.loads(out)
    assert (report["encoding"], report["delimiter"], report["committed"]) == ("cp1252", ";", True)
    assert (report["rows_read"], report["applied"], report["rejected"], report["sessions_published"]) == (3, 3, 0, 2)
    assert len(await outbox(database_url, RECORDED)) == 2
    ledger = await programme.http.get(
        f"/v1/courses/{course['id']}/participants/{amina}/ledger", headers=programme.as_school()
    )
    assert ledger.json()["hours"]["attended"] == "7.50"

    partly = tmp_path / "partly.csv"
    partly.write_text(
        "beneficiary_id,date,status,hours\n"
        f"{omar},{days_ago(2)},present,4\n"
        f"{uuid.uuid4()},{days_ago(2)},present,4\n"
        f"{omar},{days_ago(-100)},present,4\n",
        encoding="utf-8",
    )
    status, out, err = await hope_training(str(partly), *target, token=token)
    assert status == 1, err
    report = json.loads(out)
    assert (report["applied"], report["rejected"], report["committed"]) == (1, 2, True)
    assert [(rejection["line"], rejection["reason"]) for rejection in report["rejections"]] == [
        (3, "unknown_beneficiary"),
        (4, "date_outside_course"),
    ]

    # the same file again, all or nothing: the rejected rows keep it all out
    status, out, _ = await hope_training(str(partly), *target, "--all-or-nothing", token=token)
    assert status == 1
    assert (json.loads(out)["committed"], json.loads(out)["applied"]) == (False, 0)


async def test_nothing_is_imported_from_a_bad_file_or_a_bad_call_and_the_exit_status_says_so(
    programme: Programme, served: str, issuer: TokenIssuer, database_url: str, tmp_path: Path
) -> None:
    course, _ = await a_course(programme)
    token = issuer.token(OrgKind.TRAINING_PROVIDER, Role.WRITER, org_id=SCHOOL)
    target = ("--course-id", course["id"], "--url", served)
    no_dates = tmp_path / "no-dates.csv"
    no_dates.write_bytes(b"beneficiary_id;status\nsomeone;present\n")

    status, out, _ = await hope_training(str(no_dates), *target, token=token)
    assert status == 2
    problem = json.loads(out)
    assert (problem["type"], problem["reason"]) == ("urn:hope:problem:file-rejected", "missing_columns")

    status, _, err = await hope_training(str(tmp_path / "missing.csv"), *target, token=token)
    assert status == 2
    assert "does not exist" in err
    status, _, err = await hope_training(str(no_dates), *target, token=None)
    assert (status, "HOPE_TOKEN" in err) == (2, True)
    other_provider = issuer.token(OrgKind.TRAINING_PROVIDER, Role.WRITER, org_id=uuid.uuid4())
    status, out, _ = await hope_training(str(no_dates), *target, token=other_provider)
    assert (status, json.loads(out)["status"]) == (2, 404)
    status, _, err = await hope_training(
        str(no_dates), "--course-id", course["id"], "--url", "http://127.0.0.1:9", token=token
    )
    assert (status, "did not answer" in err) == (2, True)
    assert await outbox(database_url, RECORDED) == []
