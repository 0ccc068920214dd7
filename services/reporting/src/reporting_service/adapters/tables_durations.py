"""Time in each step, summed so that its medians and 90th percentiles by region and by month are read, not ranked
from every step the programme's people ended (320,000 at national scale: 0.6 to 1.5 s to rank).

A median over a period needs every duration in it, and durations are whole days of a few hundred values: so
what is kept is how many people took each number of days, per region, step and period of time. Summed per
quarter those counts are still as many rows as the steps ended (a region's few dozen steps in a quarter rarely
share a duration); counted *to date* they are few (every region's, step's and duration's count of people who ended
the step up to then: about 7,000 rows at national scale). So a period's durations are two "to date" counts
apart, each read from the latest quarter end before the date, the whole months after it and the days of the
last month; and each month's own medians, which do not depend on the period once the whole month is in it, are
kept ready.

PostgreSQL only (``adapters.durations`` keeps them): the embedded SQLite database serves one machine's programme,
small enough to rank from the facts. Named as facts: a version's are dropped with its facts.
"""

from sqlalchemy import Column, Date, Index, Integer, Numeric, String, Table, Uuid

from reporting_service.adapters.metadata import metadata

# The region of people in no cohort, or in a cohort whose ``cohort.created`` has not arrived: a key of its own
# (NULL in ``fact_cohorts``), kept as '' so that the counts can be upserted on a plain unique index.
NO_REGION = ""


def _counted(dated_by: str) -> list[Column[object]]:
    return [
        Column("version", Integer, nullable=False),
        Column(dated_by, Date, nullable=False),
        Column("region", String(2), nullable=False),
        Column("category", String(40), nullable=False),
        Column("days", Integer, nullable=False),
        Column("people", Integer, nullable=False),
    ]


fact_duration_cohorts = Table(
    "fact_duration_cohorts",
    metadata,
    Column("version", Integer, nullable=False),
    Column("cohort_id", Uuid),
    *_counted("day")[1:],
    Index("ix_fact_duration_cohorts_cohort", "version", "cohort_id"),
)
"""Per cohort (NULL: people in none), the UTC day a step ended, the cohort's region when summed, the step
(``step_3``…) and its duration in days: the people. What a cohort summed again is compared with, so that only the
difference moves the counts below."""

fact_duration_days = Table(
    "fact_duration_days",
    metadata,
    *_counted("day"),
    # Carrying the people: the days of a period's last month are read from the index alone.
    Index(
        "ux_fact_duration_days",
        "version",
        "day",
        "region",
        "category",
        "days",
        unique=True,
        postgresql_include=["people"],
    ),
)
"""The same added up over the cohorts of a region: what the days of a month a period ends (or starts) within
add. Read instead of the facts, whose steps ended in a month are found by day but joined to their people and
cohorts to know their region (up to 20 ms at national scale at a month's end; here 26 days' counts, 1,156 rows,
are read from the index in 0.2 ms by EXPLAIN ANALYZE)."""

fact_duration_months = Table(
    "fact_duration_months",
    metadata,
    *_counted("month"),
    # Carrying the people: an answer reads its months from the index alone (two months at national scale: 3,576
    # pages to 33, and its statement from about 24 to 21 ms).
    Index(
        "ux_fact_duration_months",
        "version",
        "month",
        "region",
        "category",
        "days",
        unique=True,
        postgresql_include=["people"],
    ),
)
"""The same added up over the cohorts of a region: what the whole months after a quarter end add."""

fact_duration_to_date = Table(
    "fact_duration_to_date",
    metadata,
    *_counted("quarter"),
    Index(
        "ux_fact_duration_to_date",
        "version",
        "quarter",
        "region",
        "category",
        "days",
        unique=True,
        postgresql_include=["people"],
    ),
)
"""Per quarter (its first day), region, step and duration: the people who ended the step by the quarter's last
day. Every quarter from a count's first to the last quarter any step ended in has its row (a count of 0 has
none), so the counts at any quarter end are one quarter's rows."""

fact_duration_month_ranks = Table(
    "fact_duration_month_ranks",
    metadata,
    Column("version", Integer, nullable=False),
    Column("month", Date, nullable=False),
    Column("category", String(40), nullable=False),
    Column("people", Integer, nullable=False),
    Column("median_days", Numeric(8, 2), nullable=False),
    Column("p90_days", Numeric(8, 2), nullable=False),
    Index("ux_fact_duration_month_ranks", "version", "month", "category", unique=True),
)
"""Per month and step, over every region: the people who ended it that month, their median and 90th percentile
of days (exact: from the counts per duration)."""
