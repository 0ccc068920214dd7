"""Training's events on SQLite and PostgreSQL: an absence alert shows on the person's file; attendance sheets are
kept per session, the latest sheet replacing the earlier one."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from hope_contracts import training
from hopekit.events.subscriptions import process
from hopekit.identity.principal import Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database
from support_service.adapters.unit_of_work import SupportUnitOfWork
from support_service.events.incoming import CONSUMERS

from .conftest import received
from .support import Programme

pytestmark = pytest.mark.integration


async def from_training(
    database: Database, contract: training.AbsenceAlertRaised | training.AttendanceRecorded
) -> None:
    record = received(contract)
    handlers = CONSUMERS[1].handlers
    assert await process("support.training-events", SupportUnitOfWork(database), handlers[record.type], record)


async def test_an_absence_alert_shows_on_the_persons_file(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    org = uuid.uuid4()
    person, file_id = await programme.person_in_step_3(org)
    alert = training.AbsenceAlertRaised(
        alert_id=uuid.uuid4(),
        beneficiary_id=person,
        course_id=uuid.uuid4(),
        step=3,
        rule="consecutive_unexcused",
        consecutive_unexcused=3,
        occurred_at=datetime.now(UTC),
    )
    await from_training(database, alert)
    found = await client.get(f"/v1/files/{file_id}", headers=programme.support(org, Role.READER))
    assert [(a["alert_id"], a["rule"]) for a in found.json()["absence_alerts"]] == [
        (str(alert.alert_id), "consecutive_unexcused")
    ]


async def test_the_latest_sheet_of_a_session_replaces_the_earlier_one(database: Database) -> None:
    session, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def sheet(entries: list[tuple[uuid.UUID, str]]) -> training.AttendanceRecorded:
        return training.AttendanceRecorded(
            session_id=session,
            course_id=uuid.uuid4(),
            step=3,
            held_on=date(2026, 3, 2),
            session_hours=Decimal("7.00"),
            session_kind="core",
            entries=tuple(
                training.AttendanceEntry(beneficiary_id=p, status="present", hours_attended=Decimal(h))
                for p, h in entries
            ),
            occurred_at=datetime.now(UTC),
        )

    await from_training(database, sheet([(first, "7.00"), (second, "0.00")]))
    await from_training(database, sheet([(second, "3.50")]))
    async with SupportUnitOfWork(database) as uow:
        march = (date(2026, 3, 1), date(2026, 3, 31))
        assert await uow.training.days_present(first, *march) == set()
        assert await uow.training.days_present(second, *march) == {date(2026, 3, 2)}
