"""The French level each person had attested at the end of step 3, kept on their step-3 row
(``fact_person_steps.level_attested``) so the French certification counts rows instead of looking up each
person's assessments (76,820 look-ups at national scale). It depends on two facts that arrive in any order, the
step's end and the assessments, so it is computed again, set-based, for the people either moved."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Update, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from reporting_service.adapters.queries_sources import Dialect
from reporting_service.adapters.tables import fact_language_assessments, fact_person_steps

FRENCH_STEP = 3


def level_update(postgres: bool, version: int | None = None, people: Sequence[UUID] | None = None) -> Update:
    """Set ``level_attested`` of the step-3 rows (of one version and some people, or all) to the latest
    ``overall`` assessment on or before the day the step ended (by date, then by record: OFII's A1 and the
    end-of-step-3 test on one day in a path played in one day); NULL before the step ends or with none."""
    s, a = fact_person_steps.c, fact_language_assessments.c
    ended = Dialect(postgres).day(s.completed_at)
    level = (
        select(a.level)
        .where(a.version == s.version, a.beneficiary_id == s.beneficiary_id, a.skill == "overall")
        .where(a.assessed_on <= ended)
        .order_by(a.assessed_on.desc(), a.recorded_at.desc().nulls_last())
        .limit(1)
        .scalar_subquery()
    )
    where = [s.step == FRENCH_STEP]
    if version is not None:
        where.append(s.version == version)
    if people is not None:
        where.append(s.beneficiary_id.in_(people))
    return update(fact_person_steps).where(*where).values(level_attested=level)


async def attest_levels(connection: AsyncConnection, version: int, people: Sequence[UUID]) -> None:
    """The step-3 level of these people, from what the database holds. On PostgreSQL their rows are locked first:
    a concurrent writer of the same people (the step's end and an assessment come from two topics' consumers)
    then waits, and the update's own snapshot, taken after, sees what the other committed."""
    postgres = connection.dialect.name == "postgresql"
    s = fact_person_steps.c
    for start in range(0, len(people), 2000):
        chunk = people[start : start + 2000]
        if postgres:
            rows = select(s.beneficiary_id).where(
                s.version == version, s.step == FRENCH_STEP, s.beneficiary_id.in_(chunk)
            )
            await connection.execute(rows.order_by(s.beneficiary_id).with_for_update())
        await connection.execute(level_update(postgres, version, chunk))
