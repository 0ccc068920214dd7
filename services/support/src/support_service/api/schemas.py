"""Request and response bodies of files, needs, actions and referrals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from support_service.domain.need import Need
from support_service.domain.referral import Referral
from support_service.domain.support_file import FileChange, SupportFile
from support_service.domain.vocabulary import (
    ActionType,
    EndReason,
    FileStatus,
    NeedCategory,
    NeedStatus,
    Partner,
    Priority,
    ReferralStatus,
)
from support_service.service_layer.files import FileDetail
from support_service.service_layer.needs import ActionView

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileIn(Strict):
    beneficiary_id: UUID
    cohort_id: UUID | None = Field(
        default=None, description="Omitted: the person's cohort, or none (individual track)."
    )


class CloseIn(Strict):
    end_reason: EndReason


class ReferentIn(Strict):
    referent: Code = Field(description="An opaque staff reference of the support organisation, never a name.")


class FileView(BaseModel):
    id: UUID
    beneficiary_id: UUID
    support_org_id: UUID
    cohort_id: UUID | None
    status: FileStatus
    referent: str | None
    end_reason: EndReason | None
    opened_at: datetime

    @classmethod
    def of(cls, f: SupportFile) -> FileView:
        return cls(
            id=f.id,
            beneficiary_id=f.beneficiary_id,
            support_org_id=f.support_org_id,
            cohort_id=f.cohort_id,
            status=f.status,
            referent=f.referent,
            end_reason=f.end_reason,
            opened_at=f.opened_at,
        )


class ChangeView(BaseModel):
    from_status: FileStatus | None
    to_status: FileStatus
    end_reason: EndReason | None
    referent: str | None
    at: datetime
    actor: str
    actor_org_id: UUID

    @classmethod
    def of(cls, c: FileChange) -> ChangeView:
        return cls(
            from_status=c.from_status,
            to_status=c.to_status,
            end_reason=c.end_reason,
            referent=c.referent,
            at=c.at,
            actor=c.actor,
            actor_org_id=c.actor_org_id,
        )


class AlertView(BaseModel):
    alert_id: UUID
    course_id: UUID
    step: int
    rule: str
    raised_at: datetime


class FileDetailView(FileView):
    history: list[ChangeView]
    absence_alerts: list[AlertView]

    @classmethod
    def of_detail(cls, d: FileDetail) -> FileDetailView:
        return cls(
            **FileView.of(d.file).model_dump(),
            history=[ChangeView.of(c) for c in d.history],
            absence_alerts=[AlertView.model_validate(a) for a in d.absence_alerts],
        )


class NeedIn(Strict):
    code: Code = Field(description="A code of the needs taxonomy, `<category>.<need>`.")
    priority: Priority = Priority.NORMAL
    due_on: date | None = None


class NeedView(BaseModel):
    id: UUID
    file_id: UUID
    beneficiary_id: UUID
    code: str
    category: NeedCategory
    priority: Priority
    due_on: date | None
    status: NeedStatus

    @classmethod
    def of(cls, n: Need) -> NeedView:
        return cls(
            id=n.id,
            file_id=n.file_id,
            beneficiary_id=n.beneficiary_id,
            code=n.code,
            category=n.category,
            priority=n.priority,
            due_on=n.due_on,
            status=n.status,
        )


class NeedList(BaseModel):
    items: list[NeedView]


class ActionIn(Strict):
    type: ActionType
    on: date
    duration_minutes: int = Field(ge=1, le=24 * 60)
    partner: Partner | None = None
    follow_up_on: date | None = None


class ActionOut(BaseModel):
    id: UUID
    need_id: UUID
    type: ActionType
    partner: Partner | None
    on: date
    duration_minutes: int
    follow_up_on: date | None
    recorded_at: datetime

    @classmethod
    def of(cls, a: ActionView) -> ActionOut:
        return cls(
            id=a.id,
            need_id=a.need_id,
            type=a.type,
            partner=a.partner,
            on=a.on,
            duration_minutes=a.duration_minutes,
            follow_up_on=a.follow_up_on,
            recorded_at=a.recorded_at,
        )


class ActionList(BaseModel):
    items: list[ActionOut]


class ReferralIn(Strict):
    partner: Partner
    need_id: UUID | None = None
    shares_information: bool = False
    consent_recorded_on: date | None = Field(default=None, description="Required when information is shared.")


class ReferralView(BaseModel):
    id: UUID
    file_id: UUID
    beneficiary_id: UUID
    partner: Partner
    need_id: UUID | None
    shares_information: bool
    consent_recorded_on: date | None
    status: ReferralStatus

    @classmethod
    def of(cls, r: Referral) -> ReferralView:
        return cls(
            id=r.id,
            file_id=r.file_id,
            beneficiary_id=r.beneficiary_id,
            partner=r.partner,
            need_id=r.need_id,
            shares_information=r.shares_information,
            consent_recorded_on=r.consent_recorded_on,
            status=r.status,
        )
