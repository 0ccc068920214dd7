"""Support's events in the read models: support files, needs by category (never medical: the bus carries none),
referrals to partners, housing placements and meal entitlements. Each field is set by one event (meals: the
month's latest), so any order gives the same rows."""

from __future__ import annotations

from hope_contracts import support
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.tables import (
    fact_housing,
    fact_meals,
    fact_needs,
    fact_people,
    fact_referrals,
    fact_support_files,
)
from reporting_service.service_layer.ingest import into_read_models


@into_read_models
async def file_opened(facts: VersionFacts, event: support.SupportFileOpened) -> None:
    values = {
        "beneficiary_id": event.beneficiary_id,
        "support_org_id": event.support_org_id,
        "cohort_id": event.cohort_id,
        "opened_at": event.occurred_at,
    }
    await facts.set_fields(fact_support_files, {"file_id": event.file_id}, values)
    person = {"support_org_id": event.support_org_id, "support_file_id": event.file_id, "support_at": event.occurred_at}
    await facts.set_if_newer(fact_people, {"beneficiary_id": event.beneficiary_id}, person, "support_at")


@into_read_models
async def file_closed(facts: VersionFacts, event: support.SupportFileClosed) -> None:
    values = {
        "beneficiary_id": event.beneficiary_id,
        "support_org_id": event.support_org_id,
        "closed_at": event.occurred_at,
        "end_reason": event.end_reason,
    }
    await facts.set_fields(fact_support_files, {"file_id": event.file_id}, values)


@into_read_models
async def need_opened(facts: VersionFacts, event: support.NeedOpened) -> None:
    values = {"beneficiary_id": event.beneficiary_id, "category": event.category, "opened_at": event.occurred_at}
    await facts.set_fields(fact_needs, {"need_id": event.need_id}, values)


@into_read_models
async def need_resolved(facts: VersionFacts, event: support.NeedResolved) -> None:
    values = {
        "beneficiary_id": event.beneficiary_id,
        "category": event.category,
        "resolved_at": event.occurred_at,
        "outcome": event.outcome,
    }
    await facts.set_fields(fact_needs, {"need_id": event.need_id}, values)


@into_read_models
async def housing_assigned(facts: VersionFacts, event: support.HousingAssigned) -> None:
    values = {"beneficiary_id": event.beneficiary_id, "starts_on": event.starts_on, "ends_on": event.ends_on}
    await facts.set_fields(fact_housing, {"placement_id": event.placement_id}, values)


@into_read_models
async def housing_released(facts: VersionFacts, event: support.HousingReleased) -> None:
    values = {"beneficiary_id": event.beneficiary_id, "released_on": event.released_on}
    await facts.set_fields(fact_housing, {"placement_id": event.placement_id}, values)


@into_read_models
async def referral_made(facts: VersionFacts, event: support.ReferralMade) -> None:
    values = {
        "beneficiary_id": event.beneficiary_id,
        "partner": event.partner,
        "shares_information": event.shares_information,
        "made_at": event.occurred_at,
    }
    await facts.set_fields(fact_referrals, {"referral_id": event.referral_id}, values)


@into_read_models
async def meals_entitled(facts: VersionFacts, event: support.MealsEntitled) -> None:
    values = {
        "breakfasts": event.breakfasts,
        "lunches": event.lunches,
        "dinners": event.dinners,
        "entitled_at": event.occurred_at,
    }
    key = {"beneficiary_id": event.beneficiary_id, "month": event.month}
    await facts.set_if_newer(fact_meals, key, values, "entitled_at")
