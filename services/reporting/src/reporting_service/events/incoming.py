"""The events reporting consumes: every topic of the platform, one consumer group per topic (``reporting.<topic
name>-facts``) so each topic's lag and completeness shows on its own and a slow topic holds back no other.
The read models do not depend on the order across topics (``adapters/tables``), so the groups need no
coordination. Each poll is applied in one transaction (``service_layer.ingest.apply_events``). Types not listed
here are skipped by the kit (contracts a KPI does not use yet)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hope_contracts import employment, enrolment, funding, support, training
from hopekit.events.subscriptions import ConsumerSpec, Subscription, on
from reporting_service.service_layer import (
    employment_facts,
    enrolment_facts,
    funding_facts,
    support_facts,
    training_facts,
)
from reporting_service.service_layer.ingest import in_batches


def _facts(name: str, subscriptions: Sequence[Subscription[Any, Any]]) -> ConsumerSpec:
    """A consumer group whose polls are applied whole, one transaction each (set-based writes)."""
    return ConsumerSpec(name=name, subscriptions=subscriptions, batch=in_batches(subscriptions))


CONSUMERS: Sequence[ConsumerSpec] = [
    _facts(
        "enrolment-facts",
        [
            on(enrolment.BeneficiaryRegistered, enrolment_facts.registered),
            on(enrolment.PrerequisitesValidated, enrolment_facts.prerequisites_validated),
            on(enrolment.StepStarted, enrolment_facts.step_started),
            on(enrolment.StepCompleted, enrolment_facts.step_completed),
            on(enrolment.SectorChosen, enrolment_facts.sector_chosen),
            on(enrolment.PathwayPutOnHold, enrolment_facts.put_on_hold),
            on(enrolment.PathwayResumed, enrolment_facts.resumed),
            on(enrolment.BeneficiaryWithdrawn, enrolment_facts.withdrawn),
            on(enrolment.PathwayCompleted, enrolment_facts.completed),
            on(enrolment.BeneficiaryErased, enrolment_facts.erased),
            on(enrolment.CohortCreated, enrolment_facts.cohort_created),
            on(enrolment.CohortCalendarChanged, enrolment_facts.calendar_changed),
            on(enrolment.CohortMemberAdded, enrolment_facts.member_added),
            on(enrolment.ConsentChanged, enrolment_facts.consent_changed),
        ],
    ),
    _facts(
        "training-facts",
        [
            on(training.AttendanceRecorded, training_facts.attendance_recorded),
            on(training.CourseScheduled, training_facts.course_scheduled),
            on(training.SessionsScheduled, training_facts.sessions_scheduled),
            on(training.CourseCompleted, training_facts.course_completed),
            on(training.LanguageLevelAttested, training_facts.language_level_attested),
            on(training.QualificationAwarded, training_facts.qualification_awarded),
            on(training.AbsenceAlertRaised, training_facts.absence_alert_raised),
        ],
    ),
    _facts(
        "support-facts",
        [
            on(support.SupportFileOpened, support_facts.file_opened),
            on(support.SupportFileClosed, support_facts.file_closed),
            on(support.NeedOpened, support_facts.need_opened),
            on(support.NeedResolved, support_facts.need_resolved),
            on(support.HousingAssigned, support_facts.housing_assigned),
            on(support.HousingReleased, support_facts.housing_released),
            on(support.ReferralMade, support_facts.referral_made),
            on(support.MealsEntitled, support_facts.meals_entitled),
        ],
    ),
    _facts(
        "funding-facts",
        [
            on(funding.AgreementSigned, funding_facts.agreement_signed),
            on(funding.CommitmentMade, funding_facts.commitment_made),
            on(funding.CommitmentReleased, funding_facts.commitment_released),
            on(funding.ConsumptionRecorded, funding_facts.consumption_recorded),
            on(funding.SupportCostRecorded, funding_facts.support_cost_recorded),
            on(funding.ClaimSubmitted, funding_facts.claim_submitted),
            on(funding.ClaimApproved, funding_facts.claim_approved),
            on(funding.ClaimRejected, funding_facts.claim_rejected),
            on(funding.PaymentIssued, funding_facts.payment_issued),
        ],
    ),
    _facts(
        "employment-facts",
        [
            on(employment.OutcomeRecorded, employment_facts.outcome_recorded),
            on(employment.FollowUpRecorded, employment_facts.follow_up_recorded),
            on(employment.ContractSigned, employment_facts.contract_signed),
            on(employment.ContractStarted, employment_facts.contract_started),
            on(employment.ContractEnded, employment_facts.contract_ended),
            on(employment.PlacementMade, employment_facts.placement_made),
        ],
    ),
]
