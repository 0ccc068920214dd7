"""The path up to step 3: registration and step 1, the cohort, step 3 with support and housing, attendance, an
absence alert and a withdrawal. Each stage plays the demo's phase, then checks every service it touched."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hope_infra.demo import cohort_path
from hope_infra.demo.actors import ofii, operator, support
from hope_infra.demo.calendar import SESSION_HOURS, CohortCalendar
from hope_infra.demo.cast import Cast, RunContext
from hope_infra.demo.gateway import idempotency_key

from .checks import FRENCH_PLANNED, FRENCH_SESSIONS, RATE, TRADE_SESSIONS, until
from .cohort import ABSENT, FATES, WITHDRAWS, people


async def registration_and_step_one(cast: Cast, ctx: RunContext) -> cohort_path.CohortRun:
    members = []
    for person, fate in zip(people(ctx.today), FATES, strict=True):
        beneficiary_id = await ofii.register(cast.ofii, person, ctx.run)
        await ofii.record_step_one(cast.ofii, beneficiary_id, 320, ctx.today, ctx.run)
        members.append(cohort_path.Member(beneficiary_id, fate))
    plan = operator.CohortPlan(
        "HOPE Auvergne-Rhône-Alpes maçonnerie e2e",
        "construction",
        "84",
        cast.training_providers[0],
        cast.support_providers[0],
        capacity=12,
    )
    cohort = cohort_path.CohortRun(
        plan, CohortCalendar.from_formation(ctx.today, FRENCH_SESSIONS, TRADE_SESSIONS), members
    )
    registered = await cast.ofii.client.items("/api/enrolment/v1/beneficiaries", registered_by_org_id=cast.ofii.org_id)
    assert {m.beneficiary_id for m in members} <= {p["id"] for p in registered}
    for member in members:
        seen = await cast.ofii.client.get(f"/api/enrolment/v1/beneficiaries/{member.beneficiary_id}")
        assert seen["pathway"]["status"] == "pre_orientation"
        assert seen["pathway"]["ofii_hours"] == "320.00"
        level = await cast.ofii.client.get(f"/api/training/v1/beneficiaries/{member.beneficiary_id}/language")
        assert "A1" in str(level)
    return cohort


async def cohort_formed_with_its_sector_and_financing(
    cast: Cast, cohort: cohort_path.CohortRun, ctx: RunContext
) -> None:
    await cohort_path.form(cast, cohort, ctx)
    seen = await cast.akto.client.get(f"/api/enrolment/v1/cohorts/{cohort.cohort_id}")
    assert (seen["member_count"], seen["sector_code"], seen["region"]) == (12, "construction", "84")
    for member in cohort.members:
        person = await cast.akto.client.get(f"/api/enrolment/v1/beneficiaries/{member.beneficiary_id}")
        assert (person["pathway"]["sector_code"], person["pathway"]["cohort_id"]) == ("construction", cohort.cohort_id)
    plans = await cast.akto.client.get("/api/funding/v1/financing-plans", cohort_id=cohort.cohort_id)
    plans = plans["items"] if isinstance(plans, dict) else plans
    assert sorted(p["step"] for p in plans) == [3, 4]
    # The training provider sees the cohort it trains, in the reduced view (no OFII number).
    trained = await cohort.plan.training_provider.client.items(
        "/api/enrolment/v1/beneficiaries", cohort_id=cohort.cohort_id
    )
    assert len(trained) == 12
    assert all(p.get("ofii_number") is None for p in trained)


async def step_three_with_support_and_housing(cast: Cast, cohort: cohort_path.CohortRun, ctx: RunContext) -> None:
    await cohort_path.start_french_qualification(cast, cohort, ctx)
    supporter = cohort.plan.support_provider.client
    files = await supporter.items("/api/support/v1/files")
    mine = {f["beneficiary_id"]: f for f in files if f["cohort_id"] == cohort.cohort_id}
    assert set(mine) == {m.beneficiary_id for m in cohort.members}
    assert {f["status"] for f in mine.values()} == {"active"}
    assert all(len(cohort.needs[b]) == len(support.FIRST_NEEDS) for b in mine)
    assert len(set(cohort.placements.values())) == 12

    async def committed() -> None:
        money = await cast.akto.client.get(f"/api/funding/v1/money/cohorts/{cohort.cohort_id}")
        assert Decimal(money["committed"]) == 12 * FRENCH_PLANNED * RATE, money

    await until(committed, "step 3 committed for twelve: its course's planned hours")


async def attendance_alert_and_withdrawal(cast: Cast, cohort: cohort_path.CohortRun, ctx: RunContext) -> None:
    await cohort_path.attend_french_qualification(cast, cohort, ctx)
    assert [i["rejected"] for i in cohort.imports] == [0, 0]
    assert sum(int(i["applied"]) for i in cohort.imports) == 12 * (FRENCH_SESSIONS // 2) + 11 * (
        FRENCH_SESSIONS - FRENCH_SESSIONS // 2
    )
    absent = cohort.members[ABSENT].beneficiary_id
    alerts = await cohort.plan.training_provider.client.get("/api/training/v1/alerts", beneficiary_id=absent)
    assert [a["status"] for a in alerts["items"]] == ["open"]

    leaver = cohort.members[WITHDRAWS].beneficiary_id
    person = await cast.akto.client.get(f"/api/enrolment/v1/beneficiaries/{leaver}")
    assert person["pathway"]["status"] == "withdrawn"

    async def commitment_released() -> None:
        money = await cast.akto.client.get(f"/api/funding/v1/money/people/{leaver}")
        consumed = Decimal(FRENCH_SESSIONS // 2 * SESSION_HOURS) * RATE
        assert Decimal(money["consumed"]) == consumed, money
        # Nothing stays committed beyond what was consumed: the rest went back to the lines (with what a course
        # scheduled after the step started released already, when funding heard of the step first).
        assert Decimal(money["committed"]) == consumed, money
        assert Decimal(money["released"]) >= FRENCH_PLANNED * RATE - consumed, money

    await until(commitment_released, "the leaver's commitment released")
    supporter = cohort.plan.support_provider.client

    async def file_closed() -> None:
        files = (await supporter.get("/api/support/v1/files", beneficiary_id=leaver))["items"]
        assert [(f["status"], f["end_reason"]) for f in files] == [("closed", "withdrawn")]

    await until(file_closed, "the leaver's support file closed")
    # The bed is free again: another member moves into it from tomorrow (refused with 409 bed-taken otherwise).
    mover = cohort.members[ABSENT].beneficiary_id
    tomorrow = ctx.today + timedelta(days=1)
    await supporter.post(
        f"/api/support/v1/placements/{cohort.placements[mover]}/release",
        {"on": tomorrow.isoformat()},
        key=idempotency_key(ctx.run, "move-out", mover),
    )
    freed_bed = cohort.beds[WITHDRAWS]
    moved = await supporter.post(
        "/api/support/v1/placements",
        {
            "beneficiary_id": mover,
            "bed_id": freed_bed,
            "starts_on": tomorrow.isoformat(),
            "ends_on": (cohort.calendar.trade.last + timedelta(days=1)).isoformat(),
        },
        key=idempotency_key(ctx.run, "move-in", mover),
    )
    assert moved["bed_id"] == freed_bed
