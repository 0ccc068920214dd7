"""Employment's events in the read models: the situation at exit and the follow-ups at 3, 6 and 12 months."""

from __future__ import annotations

from hope_contracts import employment
from reporting_service.adapters.facts import VersionFacts
from reporting_service.adapters.tables import fact_follow_ups, fact_people
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
