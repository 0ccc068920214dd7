"""Work-study contracts, company immersions, support referrals, meal entitlements and consents: what the
dashboard's work and support figures read (contracts signed per sector, housing and meals per cohort, consents
given). Each row is set by its own events, each field by one kind of event (or the latest by event time), so any
order and any repetition give the same rows (see ``tables``)."""

from sqlalchemy import Boolean, Column, Date, Integer, String, Table, Uuid

from hopekit.db.types import UTCDateTime, hours
from reporting_service.adapters.metadata import metadata
from reporting_service.adapters.tables_people import person_column

fact_contracts = Table(
    "fact_contracts",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("contract_id", Uuid, primary_key=True),
    *person_column("fact_contracts"),
    Column("employer_id", Uuid),
    Column("contract_type", String(32)),
    Column("starts_on", Date),
    Column("planned_end_on", Date),
    Column("hours_per_week", hours()),
    Column("signed_at", UTCDateTime),
    Column("started_on", Date),
    Column("end_status", String(16)),
    Column("ended_on", Date),
    Column("broken_by", String(32)),
    Column("break_reason", String(40)),
    Column("during_trial", Boolean),
)
"""Work-study contracts (apprenticeship, professionalisation…): employer_id, contract_type, starts_on,
planned_end_on, hours_per_week, signed_at (its event time) from ``contract.signed``; started_on from
``contract.started``; end_status (completed | broken), ended_on, broken_by, break_reason, during_trial from
``contract.ended``. A person's sector is ``fact_people.sector_code``."""

fact_immersions = Table(
    "fact_immersions",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("placement_id", Uuid, primary_key=True),
    *person_column("fact_immersions"),
    Column("employer_id", Uuid, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("hours", hours(), nullable=False),
    Column("made_at", UTCDateTime, nullable=False),
)
"""Company immersions (PMSMP) during step 3 (``placement.made``): the employer, the dates and hours."""

fact_referrals = Table(
    "fact_referrals",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("referral_id", Uuid, primary_key=True),
    *person_column("fact_referrals"),
    Column("partner", String(40), nullable=False),
    Column("shares_information", Boolean, nullable=False),
    Column("made_at", UTCDateTime, nullable=False),
)
"""Referrals of a person to a partner by their support provider (``referral.made``): the partner's published
kind and whether information is shared with it."""

fact_meals = Table(
    "fact_meals",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("month", Date, primary_key=True),
    Column("breakfasts", Integer, nullable=False),
    Column("lunches", Integer, nullable=False),
    Column("dinners", Integer, nullable=False),
    Column("entitled_at", UTCDateTime, nullable=False),
)
"""Meal entitlements per person and month (``catering.meals_entitled``, ``month`` its first day): the latest
event of the month wins."""

fact_consents = Table(
    "fact_consents",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("beneficiary_id", Uuid, primary_key=True),
    Column("purpose", String(40), primary_key=True),
    Column("given", Boolean, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)
"""Consents per person and purpose (``beneficiary.consent_changed``: programme_participation,
data_sharing_with_partners, employer_contact): given or withdrawn by the latest event."""
