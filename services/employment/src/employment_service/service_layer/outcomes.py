"""Exit outcomes: recorded once per person by the operator or their support provider; the 3-, 6- and 12-month
follow-ups are scheduled in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.access import may_see_outcome
from employment_service.domain.follow_up import FollowUp
from employment_service.domain.observation import Observation
from employment_service.domain.outcome import ExitOutcome, record_exit_outcome
from employment_service.domain.person_path import PersonPath
from employment_service.domain.vocabulary import EvidenceSource, OutcomeCode, parse_code
from employment_service.service_layer.access import ensure_reader, ensure_visible, ensure_writable, viewer
from employment_service.service_layer.errors import PersonNotOnPath
from employment_service.service_layer.publishing import publish
from hope_contracts.vocabulary import OrgKind
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


@dataclass(frozen=True)
class ObservationForm:
    code: str
    evidence_source: str
    employer_id: UUID | None
    weekly_hours: Decimal | None

    def parse(self) -> Observation:
        return Observation(
            parse_code(OutcomeCode, self.code, "outcome_code"),
            parse_code(EvidenceSource, self.evidence_source, "evidence_source"),
            self.employer_id,
            self.weekly_hours,
        )


async def record(
    uow: EmploymentUnitOfWork, principal: Principal, beneficiary_id: UUID, exit_on: date, form: ObservationForm
) -> tuple[ExitOutcome, list[FollowUp]]:
    path = await uow.paths.get(beneficiary_id, lock=True)  # one outcome per person, even under concurrency
    if path is None and principal.is_operator:
        raise PersonNotOnPath("this person is not known on the path here")
    ensure_writable(principal, may_see_outcome(viewer(principal), path), "person")
    assert path is not None
    observation = form.parse()
    if observation.employer_id is not None and await uow.employers.get(observation.employer_id) is None:
        raise NotFound.of("employer")
    outcome, schedule, events = record_exit_outcome(
        path=path,
        exit_on=exit_on,
        observation=observation,
        existing=await uow.outcomes.get(beneficiary_id),
        at=datetime.now(UTC),
    )
    await uow.outcomes.add(
        outcome, principal.org_id, schedule, path.support_provider_org_id, path.shares_with_public_employment
    )
    publish(uow, events)
    uow.audit(principal, "create", "exit_outcome", beneficiary_id)
    return outcome, schedule


async def awaiting(
    uow: EmploymentUnitOfWork, principal: Principal, withdrawal_reason: str | None, after: UUID | None, limit: int
) -> list[PersonPath]:
    """Whose exit outcome is still to record: the operator's whole list, a support provider its people's."""
    ensure_reader(principal)
    if principal.is_operator:
        return await uow.paths.awaiting_outcome(None, withdrawal_reason, after, limit)
    if principal.org_kind is OrgKind.SUPPORT_PROVIDER:
        return await uow.paths.awaiting_outcome(principal.org_id, withdrawal_reason, after, limit)
    raise Forbidden(f"an organisation of kind {principal.org_kind.value} does not record exit outcomes")


async def get(
    uow: EmploymentUnitOfWork, principal: Principal, beneficiary_id: UUID
) -> tuple[ExitOutcome, list[FollowUp]]:
    path = await uow.paths.get(beneficiary_id)
    outcome = await uow.outcomes.get(beneficiary_id)
    ensure_visible(principal, outcome is not None and may_see_outcome(viewer(principal), path), "exit outcome")
    assert outcome is not None
    uow.audit(principal, "read", "exit_outcome", beneficiary_id)
    return outcome, await uow.outcomes.follow_ups_of(beneficiary_id)
