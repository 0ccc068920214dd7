"""Enrolment's and training's events kept as this service's picture of each person's path.

Every handler is idempotent (the inbox drops exact duplicates; `PersonPath` only moves forward) and
order-independent (providers arrive with the cohort or the membership, whichever comes last); nothing is
recreated for an erased person.
"""

from __future__ import annotations

from datetime import UTC, datetime

from employment_service.adapters.unit_of_work import EmploymentUnitOfWork
from employment_service.domain.person_path import PathState, PersonPath
from employment_service.service_layer.publishing import publish
from hope_contracts import enrolment, training


async def _providers_from_cohort(uow: EmploymentUnitOfWork, path: PersonPath) -> None:
    if path.cohort_id is not None:
        providers = await uow.cohorts.providers(path.cohort_id)
        if providers is not None:
            path.providers(*providers)


async def _save(uow: EmploymentUnitOfWork, path: PersonPath) -> None:
    await uow.paths.save(path)
    # The due lists read copies of who supports the person and whether France Travail may see them.
    await uow.outcomes.set_visibility(
        path.beneficiary_id, path.support_provider_org_id, path.shares_with_public_employment
    )


async def note_step_started(uow: EmploymentUnitOfWork, event: enrolment.StepStarted) -> None:
    path = await uow.paths.get_or_new(event.beneficiary_id)
    if path.state is PathState.ERASED:
        return
    path.step_started(event.step, event.cohort_id)
    await _providers_from_cohort(uow, path)
    await _save(uow, path)


async def note_cohort(uow: EmploymentUnitOfWork, event: enrolment.CohortCreated) -> None:
    await uow.cohorts.note(event)
    for member in await uow.paths.members_of(event.cohort_id):
        path = await uow.paths.get_or_new(member)
        if path.state is not PathState.ERASED:
            path.providers(event.training_provider_org_id, event.support_provider_org_id)
            await _save(uow, path)


async def note_member(uow: EmploymentUnitOfWork, event: enrolment.CohortMemberAdded) -> None:
    path = await uow.paths.get_or_new(event.beneficiary_id)
    if path.state is PathState.ERASED:
        return
    path.cohort_id = path.cohort_id or event.cohort_id
    await _providers_from_cohort(uow, path)
    await _save(uow, path)


async def withdraw(uow: EmploymentUnitOfWork, event: enrolment.BeneficiaryWithdrawn) -> None:
    """The person leaves: open applications are withdrawn (and published); running contracts stay, since a
    labour contract outlives the programme; the person now expects an exit outcome."""
    path = await uow.paths.get_or_new(event.beneficiary_id)
    if path.state is PathState.ERASED:
        return
    path.withdrawn(event.reason, event.last_step, event.occurred_at.date())
    await _save(uow, path)
    now = datetime.now(UTC)
    for application in await uow.vacancies.open_applications_of(event.beneficiary_id):
        publish(uow, application.withdraw(now))
        await uow.vacancies.save_application(application)
    uow.audit_event("withdraw", "person_path", event.beneficiary_id, reason=event.reason)


async def complete(uow: EmploymentUnitOfWork, event: enrolment.PathwayCompleted) -> None:
    path = await uow.paths.get_or_new(event.beneficiary_id)
    if path.state is not PathState.ERASED:
        path.completed(event.occurred_at.date())
        # Neither the support provider nor the consent changes: the follow-ups' copies stay true as they are.
        await uow.paths.save(path)


async def note_qualification(uow: EmploymentUnitOfWork, event: training.QualificationAwarded) -> None:
    path = await uow.paths.get_or_new(event.beneficiary_id)
    if path.state is not PathState.ERASED:
        path.qualification_result_in = True
        await uow.paths.save(path)  # nothing the follow-ups copy changed


async def note_consent(uow: EmploymentUnitOfWork, event: enrolment.ConsentChanged) -> None:
    """Data sharing with partners given or withdrawn: France Travail sees the person's follow-ups only while it
    is given, from this transaction on (the due lists read the copy on each follow-up). The latest decision
    wins whatever the order of arrival. The other purposes change nothing here."""
    if event.purpose != "data_sharing_with_partners":
        return
    path = await uow.paths.get_or_new(event.beneficiary_id)
    if path.state is PathState.ERASED or not path.data_sharing_consent(event.given, event.occurred_at):
        return
    await _save(uow, path)
    uow.audit_event("data_sharing_" + ("given" if event.given else "withdrawn"), "person_path", event.beneficiary_id)


async def erase(uow: EmploymentUnitOfWork, event: enrolment.BeneficiaryErased) -> None:
    """The link to the person goes, the counts stay: applications, immersions, attempts and follow-ups still
    due are deleted; contracts, the outcome and answered follow-ups keep their figures under random ids. The
    path stays as a tombstone so that late events recreate nothing."""
    path = await uow.paths.get_or_new(event.beneficiary_id)
    await uow.vacancies.delete_applications_of(event.beneficiary_id)
    await uow.contracts.forget_person(event.beneficiary_id)
    await uow.outcomes.forget_person(event.beneficiary_id)
    path.erased()
    path.cohort_id = path.training_provider_org_id = path.support_provider_org_id = None
    path.left_on = None
    await uow.paths.save(path)
    uow.audit_event("erase", "person_path", event.beneficiary_id)
