"""The indicators' summaries: what each cohort's people contribute to an indicator, month by month, added up.

Every scope but a funder's is a set of cohorts (everything, a provider's, one cohort) and every grouping but the
funder is the cohort's (region, provider) or the person's (sector, track, falling back to the cohort's) or the
month: so one row per cohort, person's sector and track, month and category answers every ``by=`` by adding
rows up, a few tens of thousands at national scale instead of the 100,000 people or 1.5 million person-months.
The cohort's own dimensions are not copied here: they are joined from ``fact_cohorts`` when read, so a cohort
that changes region moves its rows with it.

Named as facts: a version's summaries are dropped with its facts, and compared with them between versions. Kept
equal to the facts by ``adapters.summaries`` (the cohorts of the people a transaction wrote are summed
again in it) and filled for every version by migrations 0011 and 0014 (``fact_contract_days``,
``fact_attendance_years``).
"""

from sqlalchemy import Column, Date, Index, Integer, Numeric, String, Table, Uuid

from hopekit.db.types import money
from reporting_service.adapters.metadata import metadata


def _cohort_and_person() -> list[Column[object]]:
    """The summary's key before the month: NULL cohort, sector or track are groups of their own."""
    return [
        Column("version", Integer, nullable=False),
        Column("cohort_id", Uuid),
        Column("sector_code", String(40)),
        Column("track", String(16)),
    ]


MONEY = ("committed", "consumed", "claimed", "paid")
READ = ["cohort_id", "sector_code", "track", "category", "people", *MONEY]


def _indicator_cells(name: str, dated_by: str) -> Table:
    return Table(
        name,
        metadata,
        Column("indicator", String(40), nullable=False),
        *_cohort_and_person(),
        Column(dated_by, Date, nullable=False),
        Column("category", String(40), nullable=False),
        Column("people", Integer, nullable=False),
        *(Column(money_name, money(), nullable=False) for money_name in MONEY),
        # Covering on PostgreSQL: an indicator's rows are read from the index alone, where in the table they lie
        # among every other indicator's (a bitmap scan read 5,000 pages for an indicator's 15,000 rows).
        Index(f"ix_{name}_read", "version", "indicator", dated_by, postgresql_include=READ),
        Index(f"ix_{name}_cohort", "version", "cohort_id"),
    )


fact_indicator_cells = _indicator_cells("fact_indicator_cells", "month")
"""Per indicator (those whose contributions are dated once per person and do not depend on the day asked:
``adapters.summaries.SUMMARISED``), cohort, person's sector_code and track, month of the contribution's day
(its first day) and category: the people counted (each person once: a person's rows are in one month) and the
money they add up (money_by_funder and cost_per_person; 0 for the others). What answers the whole months of a
period."""

fact_indicator_days = _indicator_cells("fact_indicator_days", "day")
"""The same per day rather than month: what answers the days of the months a period covers only in part (the
current month, mostly). About a row per person and indicator: it is read a month at a time, never whole."""

ATTENDANCE_READ = ["cohort_id", "sector_code", "track", "previous_month", "people", "hours_recorded", "hours_attended"]


def _attendance_cells(name: str, dated_by: str) -> Table:
    return Table(
        name,
        metadata,
        *_cohort_and_person(),
        Column(dated_by, Date, nullable=False),
        # The person's previous month with hours recorded, before this month (year) (NULL: none): a person is
        # counted once in a period, in the first of their months (years) in it, whose previous month is before it.
        Column("previous_month", Date),
        Column("people", Integer, nullable=False),
        # Wider than a person's hours: a cohort's month of them.
        Column("hours_recorded", Numeric(12, 2), nullable=False),
        Column("hours_attended", Numeric(12, 2), nullable=False),
        Index(f"ix_{name}_read", "version", dated_by, postgresql_include=ATTENDANCE_READ),
        Index(f"ix_{name}_cohort", "version", "cohort_id"),
    )


fact_attendance_cells = _attendance_cells("fact_attendance_cells", "month")
"""The attendance rate's summary: per cohort, person's sector_code and track, month with hours recorded and the
person's previous such month, the people and their hours recorded and attended (``fact_attendance_person_months``
rows with hours_recorded > 0, added up)."""

fact_attendance_years = _attendance_cells("fact_attendance_years", "year")
"""``fact_attendance_cells`` per year (its first day): what answers every grouping but the month for the whole years
of a period, the months around them from ``fact_attendance_cells`` (at national scale 13,600 rows for ten years,
against 150,000 per month)."""

CONTRACTS_READ = ["cohort_id", "sector_code", "track", "category", "previous_day", "people", "contracts"]

fact_contract_days = Table(
    "fact_contract_days",
    metadata,
    *_cohort_and_person(),
    Column("day", Date, nullable=False),
    Column("category", String(40), nullable=False),
    # The person's previous day with a contract of this type (NULL: their first): a person is counted once in a
    # period (in a month), on the first of their days in it, i.e. the day whose previous one is before it.
    Column("previous_day", Date),
    Column("people", Integer, nullable=False),
    Column("contracts", Integer, nullable=False),
    Index("ix_fact_contract_days_read", "version", "day", postgresql_include=CONTRACTS_READ),
    Index("ix_fact_contract_days_cohort", "version", "cohort_id"),
)
"""work_study_contracts' summary: per cohort, person's sector_code and track, day signed, contract type (the
category) and the person's previous day with a contract of that type, the people and their contracts. Kept per
day, not month: a period may start on any day, and whether a person's earlier contract is inside it depends on
that day (at national scale about a row per contract: 25,600 for 25,700, read without the 100,000 people)."""

summary_due = Table(
    "summary_due",
    metadata,
    Column("version", Integer, nullable=False),
    Column("cohort_id", Uuid),
    Index("ix_summary_due_version", "version"),
)
"""Cohorts whose facts moved since their summaries were last summed (NULL: the people of no cohort), noted by the
transaction that wrote the facts and summed again by the next answer that reads the version's summaries
(``adapters.summaries``): a poll of events costs a row per cohort, not a sum. Not a fact table: its rows say
nothing a rebuild must give again."""

summary_nights = Table(
    "summary_nights",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("night", Date, nullable=False),
)
"""The night people_without_housing's summary rows were counted for (housed that night or not): the night the
figures are complete to, which moves once a day. An answer for another night counts that indicator's rows again
for every cohort first (``adapters.summaries.housing_for_night``); no row: not counted yet. Not a fact table."""

# The national answers' own summaries (``adapters.regions``, PostgreSQL only): the cohorts' rows above added up per
# region. The whole programme asked by region or by month (the dashboard's first page, the funders' reports) reads
# a few thousand rows with no join, not the cohorts' tens of thousands joined to ``fact_cohorts``.

fact_summed_cohorts = Table(
    "fact_summed_cohorts",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("cohort_id", Uuid, primary_key=True),
    Column("region", String(2)),
)
"""The region each cohort's summary rows were last added up under (no row: none, as for the people of no cohort).
A cohort that changes region is due (``summaries.cohorts_written``): its rows are taken out of the region they
were added to, named here, and added to the new one."""


def _region_key(dated_by: str, *key: Column[object]) -> list[Column[object]]:
    return [
        Column("version", Integer, nullable=False),
        Column(dated_by, Date, nullable=False),
        # NULL: no region known (the people of no cohort, a cohort not yet created): "unknown", a group of its own.
        Column("region", String(2)),
        *key,
    ]


fact_region_cells = Table(
    "fact_region_cells",
    metadata,
    *_region_key(
        "month", Column("indicator", String(40), nullable=False), Column("category", String(40), nullable=False)
    ),
    Column("people", Integer, nullable=False),
    *(Column(money_name, money(), nullable=False) for money_name in MONEY),
    Index(
        "ux_fact_region_cells",
        "version",
        "indicator",
        "month",
        "region",
        "category",
        unique=True,
        postgresql_nulls_not_distinct=True,
    ),
    # Its sums are in no index, so that PostgreSQL updates the rows in place (HOT) as cohorts move.
    postgresql_with={"fillfactor": 50},
)
"""``fact_indicator_cells`` added up per region (that of ``fact_summed_cohorts``), indicator, month and category."""

fact_region_attendance = Table(
    "fact_region_attendance",
    metadata,
    *_region_key("month", Column("previous_month", Date)),
    Column("people", Integer, nullable=False),
    Column("hours_recorded", Numeric(14, 2), nullable=False),
    Column("hours_attended", Numeric(14, 2), nullable=False),
    Index(
        "ux_fact_region_attendance",
        "version",
        "month",
        "region",
        "previous_month",
        unique=True,
        postgresql_nulls_not_distinct=True,
    ),
    postgresql_with={"fillfactor": 50},
)
"""``fact_attendance_cells`` added up per region, month and the people's previous month."""

fact_region_contracts = Table(
    "fact_region_contracts",
    metadata,
    *_region_key("month", Column("category", String(40), nullable=False), Column("previous_month", Date)),
    Column("people", Integer, nullable=False),
    Column("contracts", Integer, nullable=False),
    Index(
        "ux_fact_region_contracts",
        "version",
        "month",
        "region",
        "category",
        "previous_month",
        unique=True,
        postgresql_nulls_not_distinct=True,
    ),
    postgresql_with={"fillfactor": 50},
)
"""``fact_contract_days`` added up per region, month of the day signed, contract type (the category) and month of the
person's previous day with a contract of the type. For a period starting on a month's first day, whether that
previous day is before the period (the person counted here) or in it, its month tells. At national scale about
7,000 rows, against 25,600 contract days joined to their cohorts."""
