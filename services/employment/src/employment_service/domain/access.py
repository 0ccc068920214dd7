"""Who may read and write what in the employment service (issue 16, "Access").

- the programme operator: everything;
- an employer: its own employer record, establishments, vacancies, the applications to them, the contracts
  and immersions at its establishments; nothing about a person beyond that;
- a support provider: the contracts, immersions, outcomes and follow-ups of the people it supports, and it
  proposes them for vacancies;
- France Travail: the follow-ups of people who consented to sharing with it;
- a training provider: the contracts of its step-4 trainees and the immersions of its step-3 trainees.

Writing needs the same relation and the writer role, except that contracts are written by the operator and the
employer only (the providers read them), and a support provider reads open vacancies and its people's
applications but only withdraws an application. Plain data in, a yes or no out: the API maps the token's
principal to a `Viewer` and answers 404 for what a caller may not see (so ids of others' records are not
confirmed) and 403 for what it may see but not change.
"""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from employment_service.domain.person_path import TRADE_QUALIFICATION_STEP, PersonPath


class OrgKind(StrEnum):
    """The gateway's organisation kinds (DESIGN.md §2), by value."""

    PROGRAMME_OPERATOR = "programme_operator"
    IMMIGRATION_OFFICE = "immigration_office"
    TRAINING_PROVIDER = "training_provider"
    SUPPORT_PROVIDER = "support_provider"
    EMPLOYER = "employer"
    PUBLIC_EMPLOYMENT = "public_employment"


@dataclass(frozen=True)
class Viewer:
    kind: OrgKind
    org_id: UUID

    @property
    def is_operator(self) -> bool:
        return self.kind is OrgKind.PROGRAMME_OPERATOR

    def is_employer(self, employer_org_id: UUID | None) -> bool:
        return self.kind is OrgKind.EMPLOYER and employer_org_id == self.org_id

    def supports(self, path: PersonPath | None) -> bool:
        return (
            self.kind is OrgKind.SUPPORT_PROVIDER and path is not None and path.support_provider_org_id == self.org_id
        )

    def trains(self, path: PersonPath | None) -> bool:
        return (
            self.kind is OrgKind.TRAINING_PROVIDER and path is not None and path.training_provider_org_id == self.org_id
        )


def may_see_employer_side(viewer: Viewer, employer_org_id: UUID | None) -> bool:
    """Employer record, establishments, vacancies and the applications to them."""
    return viewer.is_operator or viewer.is_employer(employer_org_id)


def may_propose(viewer: Viewer, path: PersonPath | None) -> bool:
    """Who may put a person forward for a vacancy."""
    return viewer.is_operator or viewer.supports(path)


def may_see_contract(viewer: Viewer, employer_org_id: UUID | None, path: PersonPath | None) -> bool:
    return (
        viewer.is_operator
        or viewer.is_employer(employer_org_id)
        or viewer.supports(path)
        or (viewer.trains(path) and path is not None and path.step == TRADE_QUALIFICATION_STEP)
    )


def may_see_placement(viewer: Viewer, employer_org_id: UUID | None, path: PersonPath | None) -> bool:
    return viewer.is_operator or viewer.is_employer(employer_org_id) or viewer.supports(path) or viewer.trains(path)


def may_see_outcome(viewer: Viewer, path: PersonPath | None) -> bool:
    return viewer.is_operator or viewer.supports(path)


def may_see_follow_up(viewer: Viewer, path: PersonPath | None) -> bool:
    consenting = path is not None and path.shares_with_public_employment
    return viewer.is_operator or viewer.supports(path) or (viewer.kind is OrgKind.PUBLIC_EMPLOYMENT and consenting)
