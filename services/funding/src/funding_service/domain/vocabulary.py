"""The funding service's closed lists."""

from __future__ import annotations

from enum import StrEnum


class FunderKind(StrEnum):
    OPCO = "opco"
    STATE = "state"
    REGION = "region"
    FRANCE_TRAVAIL = "france_travail"
    ESF = "esf"
    OTHER = "other"


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    ACTIVE = "active"
    CLOSED = "closed"


class CostType(StrEnum):
    TRAINING_HOURS = "training_hours"
    SUPPORT_PER_PERSON_MONTH = "support_per_person_month"
    HOUSING_NIGHT = "housing_night"
    CATERING_MEAL = "catering_meal"
    TRAINEE_ALLOWANCE = "trainee_allowance"
    OTHER = "other"


class Unit(StrEnum):
    HOUR = "hour"
    PERSON_MONTH = "person_month"
    NIGHT = "night"
    MEAL = "meal"
    PERSON_DAY = "person_day"
    LUMP_SUM = "lump_sum"


class Stage(StrEnum):
    """Where money sits on a budget line. ``granted`` is the source account (its balance is negative:
    what the agreement put on the line and what releases gave back); ``released`` and ``disallowed``
    record what left the chain. Every other account must never go below zero."""

    GRANTED = "granted"
    AVAILABLE = "available"
    COMMITTED = "committed"
    CONSUMED = "consumed"
    CLAIMED = "claimed"
    APPROVED = "approved"
    PAID = "paid"
    RELEASED = "released"
    DISALLOWED = "disallowed"


# Accounts of the line as a whole; every other stage is kept per person.
LINE_STAGES = frozenset({Stage.GRANTED, Stage.AVAILABLE})


class AttendanceStatus(StrEnum):
    """As the training service marks a person on a sheet; the status qualifies the hours missed."""

    PRESENT = "present"
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"
    RECONCILED = "reconciled"


class ClaimReason(StrEnum):
    """Why a funder approved less than claimed on a line, or rejected a whole claim (published, so closed)."""

    HOURS_NOT_EVIDENCED = "hours_not_evidenced"
    ATTENDANCE_BELOW_THRESHOLD = "attendance_below_threshold"
    OUTSIDE_AGREEMENT_PERIOD = "outside_agreement_period"
    PERSON_NOT_ELIGIBLE = "person_not_eligible"
    COST_NOT_ELIGIBLE = "cost_not_eligible"
    ABOVE_AGREED_RATE = "above_agreed_rate"
    ABOVE_BUDGET_LINE = "above_budget_line"
    DUPLICATE_CLAIM = "duplicate_claim"
    DOCUMENTS_MISSING = "documents_missing"
    OUT_OF_SCOPE = "out_of_scope"
    OTHER = "other"


class TransactionKind(StrEnum):
    GRANT = "grant"
    COMMITMENT = "commitment"
    CONSUMPTION = "consumption"
    RELEASE = "release"
    CLAIM = "claim"
    APPROVAL = "approval"
    PAYMENT = "payment"
    REVERSAL = "reversal"
