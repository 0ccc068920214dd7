"""``hope-funding``: the funding service's commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime
from uuid import UUID

from funding_service.adapters.tables import kit
from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.service_layer import support_months
from funding_service.settings import FundingSettings
from hopekit.db.engine import make_engine
from hopekit.uow import Database

PAGE = 500


async def count_support_months(database: Database, today: date) -> int:
    """Every open support file counted through ``today``'s month, one transaction per file; how many moved."""
    counted = 0
    after: UUID | None = None
    while True:
        async with FundingUnitOfWork(database) as uow:
            files = await support_months.open_files(uow, after, PAGE)
        for file_id in files:
            async with FundingUnitOfWork(database) as uow:
                if await support_months.count_month(uow, file_id, today):
                    await uow.commit()
                    counted += 1
        if len(files) < PAGE:
            return counted
        after = files[-1]


async def _count(settings: FundingSettings, today: date) -> int:
    engine = make_engine(settings.database_url)
    try:
        return await count_support_months(Database(engine=engine, tables=kit), today)
    finally:
        await engine.dispose()


def app(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hope-funding", description="HOPE funding commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    months = commands.add_parser(
        "count-support-months",
        help="count every open support file's person-months through the current month (run daily by the scheduler); "
        "settings from the environment (HOPE_FUNDING_DATABASE_URL)",
    )
    months.add_argument("--today", type=date.fromisoformat, help="the day to count through (YYYY-MM-DD); today (UTC)")
    args = parser.parse_args(argv)
    day: date = args.today or datetime.now(UTC).date()
    counted = asyncio.run(_count(FundingSettings(), day))
    print(f"{counted} open support file(s) counted through {day:%Y-%m}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(app())
