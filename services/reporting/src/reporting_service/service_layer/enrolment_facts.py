"""Enrolment's events in the read models: people, their path and cohorts (``adapters/tables*`` say which column
each sets). Only pseudonymous ids and codes arrive: enrolment keeps every identity."""

from __future__ import annotations

from typing import Any

from hope_contracts import enrolment
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.levels import FRENCH_STEP
from reporting_service.adapters.tables import fact_cohorts, fact_consents, fact_people, fact_person_steps
from reporting_service.domain.facts import STATUS_OF_STEP
from reporting_service.service_layer.ingest import into_read_models


def _person(event: Any) -> dict[str, Any]:
    return {"beneficiary_id": event.beneficiary_id}


async def _status(facts: VersionFacts, event: Any, status: str, **more: Any) -> None:
    values = {"status": status, "status_at": event.occurred_at, "hold_reason": None, **more}
    await facts.set_if_newer(fact_people, _person(event), values, "status_at")


@into_read_models
async def registered(facts: VersionFacts, event: enrolment.BeneficiaryRegistered) -> None:
    await facts.set_fields(
        fact_people,
        _person(event),
        {
            "track": event.track,
            "protection_status": event.protection_status,
            "registering_org_id": event.registered_by_org_id,
            "registered_at": event.occurred_at,
        },
    )
    await _status(facts, event, "registered")


@into_read_models
async def prerequisites_validated(facts: VersionFacts, event: enrolment.PrerequisitesValidated) -> None:
    values = {"a1_attested_on": event.a1_attested_on, "a1_test": event.test, "ofii_hours": event.ofii_hours}
    await facts.set_if_newer(fact_people, _person(event), values, "a1_attested_on")


@into_read_models
async def step_started(facts: VersionFacts, event: enrolment.StepStarted) -> None:
    step = {**_person(event), "step": event.step}
    await facts.earliest(fact_person_steps, step, "started_at", event.occurred_at)
    await _status(facts, event, STATUS_OF_STEP[event.step])
    if event.cohort_id is not None:
        values = {"cohort_id": event.cohort_id, "cohort_at": event.occurred_at}
        await facts.set_if_newer(fact_people, _person(event), values, "cohort_at")
    if event.sector_code is not None:
        values = {"sector_code": event.sector_code, "sector_at": event.occurred_at}
        await facts.set_if_newer(fact_people, _person(event), values, "sector_at")


@into_read_models
async def step_completed(facts: VersionFacts, event: enrolment.StepCompleted) -> None:
    step = {**_person(event), "step": event.step}
    await facts.latest(fact_person_steps, step, "completed_at", event.occurred_at)
    if event.step == FRENCH_STEP:
        facts.level_due(event.beneficiary_id)


@into_read_models
async def sector_chosen(facts: VersionFacts, event: enrolment.SectorChosen) -> None:
    values = {"sector_code": event.sector_code, "sector_at": event.occurred_at}
    await facts.set_if_newer(fact_people, _person(event), values, "sector_at")


@into_read_models
async def put_on_hold(facts: VersionFacts, event: enrolment.PathwayPutOnHold) -> None:
    await _status(facts, event, "on_hold", hold_reason=event.reason_code)


@into_read_models
async def resumed(facts: VersionFacts, event: enrolment.PathwayResumed) -> None:
    await _status(facts, event, event.to_status)


@into_read_models
async def withdrawn(facts: VersionFacts, event: enrolment.BeneficiaryWithdrawn) -> None:
    values = {
        "withdrawal_reason": event.reason,
        "withdrawn_from_status": event.from_status,
        "withdrawn_last_step": event.last_step,
        "withdrawn_at": event.occurred_at,
    }
    await facts.set_if_newer(fact_people, _person(event), values, "withdrawn_at")
    await _status(facts, event, "withdrawn")


@into_read_models
async def completed(facts: VersionFacts, event: enrolment.PathwayCompleted) -> None:
    await facts.latest(fact_people, _person(event), "completed_at", event.occurred_at)
    await _status(facts, event, "completed")


@into_read_models
async def erased(facts: VersionFacts, event: enrolment.BeneficiaryErased) -> None:
    await facts.erase(event.beneficiary_id, event.occurred_at)


def _calendar(event: enrolment.CohortCreated | enrolment.CohortCalendarChanged) -> dict[str, Any]:
    periods = {period.step: period for period in event.calendar}
    values: dict[str, Any] = {"calendar_at": event.occurred_at}
    for step in (3, 4):
        period = periods.get(step)
        values[f"step{step}_starts_on"] = period.starts_on if period else None
        values[f"step{step}_ends_on"] = period.ends_on if period else None
    return values


@into_read_models
async def cohort_created(facts: VersionFacts, event: enrolment.CohortCreated) -> None:
    cohort = {"cohort_id": event.cohort_id}
    dimensions = {
        "region": event.region,
        "sector_code": event.sector_code,
        "track": event.track,
        "training_provider_org_id": event.training_provider_org_id,
        "support_provider_org_id": event.support_provider_org_id,
        "capacity": event.capacity,
        "created_at": event.occurred_at,
    }
    await facts.set_fields(fact_cohorts, cohort, dimensions)
    await facts.set_if_newer(fact_cohorts, cohort, _calendar(event), "calendar_at")


@into_read_models
async def calendar_changed(facts: VersionFacts, event: enrolment.CohortCalendarChanged) -> None:
    await facts.set_if_newer(fact_cohorts, {"cohort_id": event.cohort_id}, _calendar(event), "calendar_at")


@into_read_models
async def member_added(facts: VersionFacts, event: enrolment.CohortMemberAdded) -> None:
    values = {"cohort_id": event.cohort_id, "cohort_at": event.occurred_at}
    await facts.set_if_newer(fact_people, _person(event), values, "cohort_at")


@into_read_models
async def consent_changed(facts: VersionFacts, event: enrolment.ConsentChanged) -> None:
    values = {"given": event.given, "changed_at": event.occurred_at}
    key = {**_person(event), "purpose": event.purpose}
    await facts.set_if_newer(fact_consents, key, values, "changed_at")
