"""Employment's events in the read models: work-study contracts, company immersions, the situation at exit and the
follow-ups at 3, 6 and 12 months."""

from __future__ import annotations

from hope_contracts import employment
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.tables import fact_contracts, fact_follow_ups, fact_immersions, fact_people
from reporting_service.service_layer.ingest import into_read_models


@into_read_models
async def outcome_recorded(facts: VersionFacts, event: employment.OutcomeRecorded) -> None:
    values = {
        "exit_outcome": event.outcome_code,
        "exit_on": event.exit_on,
        "exit_counts_as_employed": event.counts_as_employed,
        "exit_evidence": event.evidence_source,
        "exit_at": event.occurred_at,
    }
    await facts.set_if_newer(fact_people, {"beneficiary_id": event.beneficiary_id}, values, "exit_at")


@into_read_models
async def follow_up_recorded(facts: VersionFacts, event: employment.FollowUpRecorded) -> None:
    values = {
        "follow_up_id": event.follow_up_id,
        "due_on": event.due_on,
        "status": event.status,
        "attempts": event.attempts,
        "observed_on": event.observed_on,
        "outcome_code": event.outcome_code,
        "counts_as_employed": event.counts_as_employed,
        "recorded_at": event.occurred_at,
    }
    key = {"beneficiary_id": event.beneficiary_id, "months_after_exit": event.months_after_exit}
    await facts.set_if_newer(fact_follow_ups, key, values, "recorded_at")


@into_read_models
async def contract_signed(facts: VersionFacts, event: employment.ContractSigned) -> None:
    values = {
        "beneficiary_id": event.beneficiary_id,
        "employer_id": event.employer_id,
        "contract_type": event.contract_type,
        "starts_on": event.starts_on,
        "planned_end_on": event.planned_end_on,
        "hours_per_week": event.hours_per_week,
        "signed_at": event.occurred_at,
    }
    await facts.set_fields(fact_contracts, {"contract_id": event.contract_id}, values)


@into_read_models
async def contract_started(facts: VersionFacts, event: employment.ContractStarted) -> None:
    values = {"beneficiary_id": event.beneficiary_id, "started_on": event.started_on}
    await facts.set_fields(fact_contracts, {"contract_id": event.contract_id}, values)


@into_read_models
async def contract_ended(facts: VersionFacts, event: employment.ContractEnded) -> None:
    values = {
        "beneficiary_id": event.beneficiary_id,
        "employer_id": event.employer_id,
        "end_status": event.status,
        "ended_on": event.ended_on,
        "broken_by": event.broken_by,
        "break_reason": event.break_reason,
        "during_trial": event.during_trial,
    }
    await facts.set_fields(fact_contracts, {"contract_id": event.contract_id}, values)


@into_read_models
async def placement_made(facts: VersionFacts, event: employment.PlacementMade) -> None:
    values = {
        "beneficiary_id": event.beneficiary_id,
        "employer_id": event.employer_id,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "hours": event.hours,
        "made_at": event.occurred_at,
    }
    await facts.set_fields(fact_immersions, {"placement_id": event.placement_id}, values)
