"""One cohort of twelve through every service, over the gateway, each partner with its own client, on PostgreSQL
and Kafka with the real processes (issue 18, "The whole path, end to end"). The steps are the demo's own
(``hope_infra.demo``): one piece of code plays the programme and is checked here.

Registration and step 1 (OFII), the cohort and its sector and financing plan (AKTO), step 3 with support files,
needs and housing (support provider) and attendance sent as CSV (training provider), an absence alert, a
withdrawal (its commitment released, its bed freed), step 4 with work-study contracts (employers),
qualifications, exit outcomes, completion in enrolment, follow-ups, a claim paid; then reporting's indicators
equal what the test works out by itself (``reporting_figures``); then one person's erasure, followed into every
database.

Run alone: ``python3 -m uv run --frozen pytest tests/e2e -q``.
"""

import random
import uuid
from datetime import UTC, date, datetime

import httpx
import pytest

from hope_infra.demo import casting
from hope_infra.demo.cast import RunContext
from hope_infra.demo.gateway import Credentials, PartnerClient

from .checks import RATE, STEP_3_HOURS, STEP_4_HOURS
from .conftest import PlatformOnPostgres
from .stage_indicators import indicators_as_computed
from .stages_from_step_four import (
    claim_paid,
    erasure_reaches_every_service,
    qualifications_outcomes_completion_follow_ups,
    step_four_with_work_study,
)
from .stages_to_step_three import (
    attendance_alert_and_withdrawal,
    cohort_formed_with_its_sector_and_financing,
    registration_and_step_one,
    step_three_with_support_and_housing,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1200)]


async def test_one_cohort_through_every_service_then_one_erasure(platform_on_postgres: PlatformOnPostgres) -> None:
    platform = platform_on_postgres.platform
    admin_credentials = Credentials(platform.admin_client["client_id"], platform.admin_client["client_secret"])
    started_at = datetime.now(UTC)
    ctx = RunContext(run=f"e2e-{uuid.uuid4().hex[:8]}", today=date.today())
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as http:
        cast = await casting.cast_partners(http, PartnerClient(http, admin_credentials), training=1, supporting=1)
        await casting.hire_employers(http, cast, [("construction", "84", 12)], random.Random(84), ctx)
        await casting.finance(cast, 12, ctx, RATE, STEP_3_HOURS + STEP_4_HOURS)
        cohort = await registration_and_step_one(cast, ctx)
        await cohort_formed_with_its_sector_and_financing(cast, cohort, ctx)
        await step_three_with_support_and_housing(cast, cohort, ctx)
        await attendance_alert_and_withdrawal(cast, cohort, ctx)
        await step_four_with_work_study(cast, cohort, ctx)
        await qualifications_outcomes_completion_follow_ups(cast, cohort, ctx)
        await claim_paid(cast, cohort, ctx)
        await indicators_as_computed(http, cast, cohort, started_at, last_event_at=datetime.now(UTC))
        await erasure_reaches_every_service(cast, cohort, platform_on_postgres)
