"""One cohort through the whole path, phase by phase, each partner doing its own part through its own client.

The end-to-end test calls the phases one by one and checks each service in between; the demo chains them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from hope_infra.demo.actors import employers as hiring
from hope_infra.demo.actors import operator, providers, support
from hope_infra.demo.actors.employers import COMMUNE_OF_REGION
from hope_infra.demo.calendar import CohortCalendar
from hope_infra.demo.cast import Cast, RunContext
from hope_infra.demo.fates import Fate
from hope_infra.demo.figures import TRADE_CERTIFICATIONS
from hope_infra.demo.gateway import Refused
from hope_infra.demo.waiting import NotYet, eventually, problem_is

HOURS_WAIVER = "absences rattrapées en atelier de remise à niveau, niveau de français atteint"


@dataclass
class Member:
    beneficiary_id: str
    fate: Fate


@dataclass
class CohortRun:
    plan: operator.CohortPlan
    calendar: CohortCalendar
    members: list[Member]
    cohort_id: str = ""
    french_course_id: str = ""
    trade_course_id: str = ""
    beds: list[str] = field(default_factory=list)
    placements: dict[str, str] = field(default_factory=dict)
    needs: dict[str, list[str]] = field(default_factory=dict)
    contracts: dict[str, str] = field(default_factory=dict)
    employer_ids: dict[str, str] = field(default_factory=dict)
    imports: list[dict[str, object]] = field(default_factory=list)

    @property
    def staying(self) -> list[Member]:
        return [m for m in self.members if m.fate.withdraws is None]

    @property
    def leaving(self) -> list[Member]:
        return [m for m in self.members if m.fate.withdraws is not None]


async def form(cast: Cast, cohort: CohortRun, ctx: RunContext) -> None:
    """Step 2: AKTO forms the cohort, places its members in it with its sector, and finances steps 3 and 4."""
    assert cast.financing is not None
    cohort.cohort_id = await operator.form_cohort(cast.akto, cohort.plan, cohort.calendar.french.first, ctx.run)
    for member in cohort.members:
        await operator.add_member(cast.akto, cohort.cohort_id, member.beneficiary_id, cohort.plan.sector, ctx.run)
    for step in (3, 4):
        await operator.finance_cohort(cast.akto, cast.financing, cohort.cohort_id, step, ctx.run)
    # The support provider rents a residence near the training centre for the cohort's whole path.
    stay = (cohort.calendar.french.first, cohort.calendar.trade.last + timedelta(days=1))
    cohort.beds = await support.open_residence(
        cohort.plan.support_provider,
        f"Résidence {cohort.plan.name}",
        COMMUNE_OF_REGION[cohort.plan.region],
        len(cohort.members),
        stay,
        ctx.run,
    )


async def start_french_qualification(cast: Cast, cohort: CohortRun, ctx: RunContext) -> None:
    """Step 3 starts: the course and its sessions, the support files (opened by support on the event), the first
    needs and a bed for each member until the planned end of step 4."""
    for member in cohort.members:
        await operator.transition(cast.akto.client, member.beneficiary_id, "start_french_qualification", ctx.run)
    provider, supporter = cohort.plan.training_provider, cohort.plan.support_provider
    cohort.french_course_id = await providers.open_course(
        provider, cohort.cohort_id, 3, cohort.calendar.french, ctx.run
    )
    nights = (cohort.calendar.french.first, cohort.calendar.trade.last + timedelta(days=1))
    for member, bed in zip(cohort.members, cohort.beds, strict=True):
        file = await support.support_file(supporter, member.beneficiary_id)
        cohort.needs[member.beneficiary_id] = await support.open_needs(
            supporter, str(file["id"]), support.FIRST_NEEDS, ctx.today + timedelta(days=30), ctx.run
        )
        cohort.placements[member.beneficiary_id] = await support.house(
            supporter, member.beneficiary_id, bed, nights, ctx.run
        )


def _french_marks(cohort: CohortRun, members: list[Member], sessions: range) -> dict[str, list[str]]:
    marks: dict[str, list[str]] = {}
    for member in members:
        marks[member.beneficiary_id] = [
            "unexcused" if member.fate.absent_streak and index < 3 else "present" for index in sessions
        ]
    return marks


async def attend_french_qualification(cast: Cast, cohort: CohortRun, ctx: RunContext) -> None:
    """The provider sends its sheets in two parts; between them, those who leave withdraw (their commitment is
    released and their bed freed by the services on the event); then everyone else completes step 3."""
    provider = cohort.plan.training_provider
    days = cohort.calendar.french.days
    half = len(days) // 2
    first = _french_marks(cohort, cohort.members, range(half))
    cohort.imports.append(
        await providers.import_attendance(provider, cohort.french_course_id, days[:half], first, "3a", ctx.run)
    )
    for member in cohort.leaving:
        assert member.fate.withdraws is not None
        await operator.transition(
            cohort.plan.support_provider.client,
            member.beneficiary_id,
            "withdraw",
            ctx.run,
            withdrawal_reason=member.fate.withdraws,
        )
    later = {b: marks[half:] for b, marks in _french_marks(cohort, cohort.staying, range(len(days))).items()}
    cohort.imports.append(
        await providers.import_attendance(provider, cohort.french_course_id, days[half:], later, "3b", ctx.run)
    )
    for member in cohort.staying:
        await providers.complete(provider, cohort.french_course_id, member.beneficiary_id, ctx.run)
        await providers.assess_french(
            provider, cohort.french_course_id, member.beneficiary_id, member.fate.french_level, ctx.today, ctx.run
        )


async def start_trade_qualification(cast: Cast, cohort: CohortRun, ctx: RunContext) -> None:
    """Step 4 once enrolment heard that step 3's hours are done; the course; a work-study contract each."""
    provider = cohort.plan.training_provider
    for member in cohort.staying:
        if member.fate.absent_streak:
            # Short of step 3's hours: only the operator's admin lets step 4 start, and says why.
            await operator.transition(
                cast.admin,
                member.beneficiary_id,
                "start_trade_qualification",
                ctx.run,
                hours_waiver_reason=HOURS_WAIVER,
            )
            continue
        step_four = functools.partial(
            operator.transition, provider.client, member.beneficiary_id, "start_trade_qualification", ctx.run
        )
        await eventually(
            step_four,
            what=f"step 3's hours done for {member.beneficiary_id}",
            pending=problem_is("step-not-ready"),
        )
    cohort.trade_course_id = await providers.open_course(provider, cohort.cohort_id, 4, cohort.calendar.trade, ctx.run)
    trade = cohort.calendar.trade
    for index, member in enumerate(cohort.staying):
        employer = cast.employer_for(cohort.plan.sector, cohort.plan.region, index)
        cohort.employer_ids[member.beneficiary_id] = employer.employer_id
        cohort.contracts[member.beneficiary_id] = await eventually(
            functools.partial(hiring.sign_work_study, employer, member.beneficiary_id, trade.first, ctx.run),
            what=f"employment knows {member.beneficiary_id} is in step 4",
            pending=lambda refused: refused.status in (404, 422),
        )


async def attend_trade_qualification(cast: Cast, cohort: CohortRun, ctx: RunContext) -> None:
    """Step 4's sheets, then the trade qualification (awarded, or failed for some)."""
    provider = cohort.plan.training_provider
    days = cohort.calendar.trade.days
    marks = {m.beneficiary_id: ["present"] * len(days) for m in cohort.staying}
    cohort.imports.append(
        await providers.import_attendance(provider, cohort.trade_course_id, days, marks, "4", ctx.run)
    )
    name, rncp, _ = TRADE_CERTIFICATIONS[cohort.plan.sector]
    for member in cohort.staying:
        result = "awarded" if member.fate.qualified else "failed"
        await providers.award(
            provider, cohort.trade_course_id, member.beneficiary_id, (name, rncp), result, ctx.today, ctx.run
        )


async def leave(cast: Cast, cohort: CohortRun, ctx: RunContext) -> None:
    """The support provider records each exit outcome (those who left too) and answers the follow-ups due."""
    supporter = cohort.plan.support_provider
    for member in cohort.members:
        employer_id = cohort.employer_ids.get(member.beneficiary_id) if member.fate.employed_at_exit else None
        outcome = member.fate.outcome if member.fate.withdraws is None else _outcome_of_leaver(member.fate)
        try:
            await support.record_outcome(supporter, member.beneficiary_id, outcome, ctx.today, employer_id, ctx.run)
        except Refused as refused:
            # A person who left before step 4 has no outcome to record in employment's rules.
            if refused.status != 422 or member.fate.withdraws is None:
                raise
        await support.work_follow_ups(supporter, member.beneficiary_id, ctx.today, outcome, ctx.run)


def _outcome_of_leaver(fate: Fate) -> str:
    return "cdd_6m_plus" if fate.withdraws == "employment_found" else "other"


async def consumption_caught_up(cast: Cast, cohort: CohortRun) -> None:
    """Before claiming, AKTO checks that funding has turned every hour training holds into money (funding
    learns the hours from training's events)."""
    assert cast.financing is not None
    rate, client = cast.financing.hourly_rate, cast.akto.client

    async def caught_up() -> None:
        ledger = await client.get(f"/api/training/v1/cohorts/{cohort.cohort_id}/ledger")
        attended = sum(Decimal(course["total"]["attended"]) for course in ledger["courses"])
        money = await client.get(f"/api/funding/v1/money/cohorts/{cohort.cohort_id}")
        if Decimal(money["consumed"]) + Decimal(money.get("disallowed") or 0) < attended * rate:
            raise NotYet

    await eventually(caught_up, what=f"funding consumed cohort {cohort.cohort_id}'s hours", timeout_s=120)


async def claim_and_get_paid(cast: Cast, ctx: RunContext) -> list[str]:
    """AKTO claims each agreement's consumed hours, the funder approves and pays: the claims paid."""
    assert cast.financing is not None
    paid = []
    for agreement_id in cast.financing.agreement_ids:
        claim = await operator.claim(cast.akto, agreement_id, cast.financing.period, ctx.today, ctx.run)
        if claim is not None:
            paid.append(claim)
    return paid


PHASES = (
    form,
    start_french_qualification,
    attend_french_qualification,
    start_trade_qualification,
    attend_trade_qualification,
    leave,
)
