"""A run of attendance sheets that one poll brings (consecutive ``attendance-recorded`` events), applied together
in the poll's transaction: each sheet still goes through its own use case (``consumption.on_attendance_recorded``),
in turn, and the ledger and consumption rows end exactly as the sheets one by one would leave them; what the run
shares is the database's work.

- Read ahead, one statement each for the whole run: the sessions' rows (marks and amounts posted), the people's own
  plans, the cohorts' plans, and a lock on every existing account the sheets may post to (each person's
  ``committed`` and ``consumed`` and each line's ``available``), taken in the ledger's one order.
- Held writes: an account locked by an earlier sheet is not read again (its balance is the one this transaction
  gave it), and the transactions, balance changes, marks and consumption rows wait in memory; they are written in
  one statement per table when the run ends, before any read of those tables that could see them (a corrected sheet
  of a session the run already wrote, a change of excused hours that loads a person's every mark, a shortage, the
  reservation of what is given back, support's retry), once 10,000 postings or rows wait (a poll brings up to 500
  sheets) and before the commit.

A poll of 25 sheets of 5 cohorts (5 sheets each) then locks and updates each person's accounts and the line's
``available`` once instead of 5 times, and sends 16 statements instead of 192.

Lock order: the run's existing accounts are locked in one statement, in id order, the ledger's one order. Only
accounts the read-ahead could not name are locked later: those that did not exist yet (a person's first sheet
creates them; another writer can hold one only by creating it at the same moment, a commitment by hand for that
person's line while their first sheet is applied) and those of people on a sheet without its cohort (looked up by
the use case). Should another writer hold one of those and wait for an account the run holds, PostgreSQL detects
the deadlock and refuses one of the two transactions; a poll so refused is applied again
(``hopekit.events.consumer.process_poll``). Sheets applied one by one in a poll had these cases, and more: each
sheet locked its accounts after the poll's earlier sheets had locked theirs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from funding_service.adapters.unit_of_work import FundingUnitOfWork
from funding_service.domain import movements
from funding_service.domain.financing_plan import FinancingPlan
from funding_service.domain.ledger import AccountKey
from funding_service.domain.vocabulary import CostType, Stage
from hope_contracts import training

_HOURS = CostType.TRAINING_HOURS.value


@asynccontextmanager
async def applied_together(
    uow: FundingUnitOfWork, sheets: Sequence[training.AttendanceRecorded]
) -> AsyncIterator[None]:
    """Around the sheets' use cases, in their order: writes held, what they read read ahead, and everything
    written at the end. On an error nothing is written (the poll's transaction is rolled back)."""
    uow.hold_writes()
    await _read_ahead(uow, sheets)
    yield
    await uow.release_writes()


async def _read_ahead(uow: FundingUnitOfWork, sheets: Sequence[training.AttendanceRecorded]) -> None:
    funded = [sheet for sheet in sheets if sheet.step in movements.DEFAULT_STEP_HOURS]
    sessions: dict[UUID, UUID] = {}
    for sheet in funded:
        sessions.setdefault(sheet.session_id, sheet.course_id)  # a session sent again reads what the first wrote
    on_session = await uow.consumption.read_sessions(sessions)
    people_of = {
        id(sheet): {entry.beneficiary_id for entry in sheet.entries} | on_session.get(sheet.session_id, set())
        for sheet in funded
    }
    of_cohort: dict[tuple[int, UUID], FinancingPlan] = {}
    for step in sorted({sheet.step for sheet in funded}):
        of_step = [sheet for sheet in funded if sheet.step == step]
        await uow.reference.read_own_plans(set().union(*(people_of[id(sheet)] for sheet in of_step)), _HOURS, step)
        cohorts = {sheet.cohort_id for sheet in of_step if sheet.cohort_id is not None}
        found = await uow.reference.read_cohort_plans(_HOURS, step, cohorts)
        of_cohort.update(((step, cohort), plan) for cohort, plan in found.items())
    accounts: set[AccountKey] = set()
    for sheet in funded:
        people = people_of[id(sheet)]
        own = await uow.reference.own_plans(people, _HOURS, sheet.step)
        cohort_plan = None if sheet.cohort_id is None else of_cohort.get((sheet.step, sheet.cohort_id))
        for person in people:
            # Without a cohort on the sheet, the person's cohort is looked up by the use case, which locks then.
            plan = own.get(person, cohort_plan)
            for line_id in plan.shares if plan is not None else ():
                accounts.add(AccountKey.person(line_id, Stage.COMMITTED, person))
                accounts.add(AccountKey.person(line_id, Stage.CONSUMED, person))
                accounts.add(AccountKey.line(line_id, Stage.AVAILABLE))
    await uow.ledger.lock_existing(accounts)
