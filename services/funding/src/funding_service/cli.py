"""``hope-funding``: the funding service's commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, date, datetime

from funding_service.adapters.tables import kit
from funding_service.service_layer import support_months
from funding_service.settings import FundingSettings
from hopekit.db.engine import make_engine
from hopekit.uow import Database


async def _count(settings: FundingSettings, today: date) -> int:
    engine = make_engine(settings.database_url)
    try:
        return await support_months.count_open_files(Database(engine=engine, tables=kit), today)
    finally:
        await engine.dispose()


def app(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hope-funding", description="HOPE funding commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    months = commands.add_parser(
        "count-support-months",
        help="count every open support file's person-months through the current month (the running service does it "
        "every hour; this is for a backfill or a run by hand); settings from the environment "
        "(HOPE_FUNDING_DATABASE_URL)",
    )
    months.add_argument("--today", type=date.fromisoformat, help="the day to count through (YYYY-MM-DD); today (UTC)")
    args = parser.parse_args(argv)
    day: date = args.today or datetime.now(UTC).date()
    counted = asyncio.run(_count(FundingSettings(), day))
    print(f"{counted} open support file(s) counted through {day:%Y-%m}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(app())
