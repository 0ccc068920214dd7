"""The path from step 4: work-study contracts, qualifications, exit outcomes, completion, follow-ups, the claim
paid, and one person's erasure followed into every service's database."""

from __future__ import annotations

from decimal import Decimal

from hope_infra.demo import cohort_path
from hope_infra.demo.calendar import SESSION_HOURS
from hope_infra.demo.cast import Cast, RunContext
from hope_infra.demo.gateway import idempotency_key

from .checks import (
    FRENCH_PLANNED,
    FRENCH_SESSIONS,
    RATE,
    TRADE_PLANNED,
    TRADE_SESSIONS,
    months_later,
    status_of,
    until,
)
from .cohort import ABSENT, ERASED, ERASED_PERSON, FAILS
from .conftest import PlatformOnPostgres
from .identity_search import search


async def step_four_with_work_study(cast: Cast, cohort: cohort_path.CohortRun, ctx: RunContext) -> None:
    await cohort_path.start_trade_qualification(cast, cohort, ctx)
    for member in cohort.staying:
        person = await cast.akto.client.get(f"/api/enrolment/v1/beneficiaries/{member.beneficiary_id}")
        assert person["pathway"]["status"] == "trade_qualification"
    waived = await cast.akto.client.get(f"/api/enrolment/v1/beneficiaries/{cohort.members[ABSENT].beneficiary_id}")
    assert any(h.get("waiver_reason") for h in waived["pathway"]["history"])
    for member in cohort.staying:
        employer = cast.employer_for("construction", "84", cohort.staying.index(member))
        contract = await employer.partner.client.get(
            f"/api/employment/v1/contracts/{cohort.contracts[member.beneficiary_id]}"
        )
        assert (contract["beneficiary_id"], contract["status"]) == (member.beneficiary_id, "active"), contract

    async def step_four_committed() -> None:
        money = await cast.akto.client.get(f"/api/funding/v1/money/cohorts/{cohort.cohort_id}")
        # What was committed for the leaver and not consumed was released, and left the committed total.
        leaver_released = (FRENCH_PLANNED - FRENCH_SESSIONS // 2 * SESSION_HOURS) * RATE
        expected = (12 * FRENCH_PLANNED + 11 * TRADE_PLANNED) * RATE - leaver_released
        assert Decimal(money["committed"]) == expected, money

    await until(step_four_committed, "step 4 committed for eleven")


async def qualifications_outcomes_completion_follow_ups(
    cast: Cast, cohort: cohort_path.CohortRun, ctx: RunContext
) -> None:
    await cohort_path.attend_trade_qualification(cast, cohort, ctx)
    provider = cohort.plan.training_provider.client
    for member in cohort.staying:
        awarded = await provider.get(f"/api/training/v1/beneficiaries/{member.beneficiary_id}/qualifications")
        results = [q["result"] for q in awarded]
        assert results == ["awarded" if member.fate.qualified else "failed"]
    assert not cohort.members[FAILS].fate.qualified
    await cohort_path.leave(cast, cohort, ctx)
    supporter = cohort.plan.support_provider.client
    for member in cohort.staying:
        outcome = await supporter.get(f"/api/employment/v1/outcomes/{member.beneficiary_id}")
        assert outcome["observation"]["outcome_code"] == member.fate.outcome
        assert outcome["observation"]["counts_as_employed"] == member.fate.employed_at_exit
        due = sorted((f["months_after_exit"], f["due_on"], f["status"]) for f in outcome["follow_ups"])
        assert due == [(n, months_later(ctx.today, n).isoformat(), "due") for n in (3, 6, 12)]
    # Completion: step 4 started, the qualification and the exit outcome in, enrolment closes the path by itself.
    for member in cohort.staying:

        async def completed(beneficiary_id: str = member.beneficiary_id) -> None:
            person = await cast.akto.client.get(f"/api/enrolment/v1/beneficiaries/{beneficiary_id}")
            assert person["pathway"]["status"] == "completed", person["pathway"]["status"]

        await until(completed, f"{member.beneficiary_id}'s path completed in enrolment")
    # The first follow-up falls due in three months: today the support provider logs a call that nobody answered.
    first = cohort.members[3].beneficiary_id
    follow_ups = (await supporter.get(f"/api/employment/v1/outcomes/{first}"))["follow_ups"]
    three_months = next(f for f in follow_ups if f["months_after_exit"] == 3)
    await supporter.post(
        f"/api/employment/v1/follow-ups/{three_months['id']}/attempts",
        key=idempotency_key(ctx.run, "attempt", three_months["id"]),
    )
    assert (await supporter.get(f"/api/employment/v1/follow-ups/{three_months['id']}"))["attempts"] == 1


async def claim_paid(cast: Cast, cohort: cohort_path.CohortRun, ctx: RunContext) -> None:
    await cohort_path.consumption_caught_up(cast, cohort)
    paid = await cohort_path.claim_and_get_paid(cast, ctx)
    assert len(paid) == 2
    attended = Decimal(
        (12 * (FRENCH_SESSIONS // 2) + 11 * (FRENCH_SESSIONS - FRENCH_SESSIONS // 2) - 3 + 11 * TRADE_SESSIONS)
        * SESSION_HOURS
    )
    money = await cast.akto.client.get(f"/api/funding/v1/money/cohorts/{cohort.cohort_id}")
    assert Decimal(money["consumed"]) == attended * RATE
    assert Decimal(money["paid"]) == Decimal(money["claimed"]) == attended * RATE
    claims = [await cast.akto.client.get(f"/api/funding/v1/claims/{c}") for c in paid]
    assert all(c["status"] == "paid" and c["paid_amount"] == c["approved"] for c in claims)


async def erasure_reaches_every_service(
    cast: Cast, cohort: cohort_path.CohortRun, platform: PlatformOnPostgres
) -> None:
    erased = cohort.members[ERASED].beneficiary_id
    await cast.admin.post(f"/api/enrolment/v1/beneficiaries/{erased}/erasure")
    seen = await cast.akto.client.get(f"/api/enrolment/v1/beneficiaries/{erased}")
    assert seen["erased"] is True
    assert not seen.get("given_name")

    async def gone_from_services() -> None:
        # Training answers for an erased person as for nobody: 404, not an empty record.
        for kept in ("language", "qualifications"):
            assert await status_of(cast.akto.client, f"/api/training/v1/beneficiaries/{erased}/{kept}") == 404
        assert await status_of(cast.akto.client, f"/api/employment/v1/outcomes/{erased}") == 404
        files = await cast.akto.client.get("/api/support/v1/files", beneficiary_id=erased)
        assert files["items"] == []

    await until(gone_from_services, "the erasure applied by every service")
    # Identity: the names, the birth date and the OFII number, in any table (stored answers and logs included).
    # The beneficiary id is the pseudonym services keep on purpose (the path, the ledger, counts), linked to no
    # one once enrolment has erased the identity.
    identity = [
        ERASED_PERSON.given_name,
        ERASED_PERSON.family_name,
        ERASED_PERSON.ofii_number,
        ERASED_PERSON.birth_date.isoformat(),
    ]
    found = await search(platform.database_urls, identity)
    assert found == [], "\n".join(f"{f.service}.{f.table}.{f.column} holds {f.value!r}" for f in found)
