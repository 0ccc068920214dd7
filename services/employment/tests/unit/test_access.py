"""Who sees what, for every kind of organisation."""

from uuid import UUID, uuid4

import pytest

from employment_service.domain import access
from employment_service.domain.access import OrgKind, Viewer
from employment_service.domain.person_path import PersonPath
from hopekit.identity.principal import OrgKind as GatewayOrgKind

EMPLOYER_ORG, OTHER_EMPLOYER_ORG = uuid4(), uuid4()
SUPPORT_ORG, OTHER_SUPPORT_ORG = uuid4(), uuid4()
TRAINING_ORG = uuid4()
FRANCE_TRAVAIL = uuid4()


def path(step: int = 4, consent: bool = False) -> PersonPath:
    return PersonPath(
        UUID("00000000-0000-4000-8000-000000000001"),
        step=step,
        training_provider_org_id=TRAINING_ORG,
        support_provider_org_id=SUPPORT_ORG,
        shares_with_public_employment=consent,
    )


OPERATOR = Viewer(OrgKind.PROGRAMME_OPERATOR, uuid4())
EMPLOYER = Viewer(OrgKind.EMPLOYER, EMPLOYER_ORG)
OTHER_EMPLOYER = Viewer(OrgKind.EMPLOYER, OTHER_EMPLOYER_ORG)
SUPPORT = Viewer(OrgKind.SUPPORT_PROVIDER, SUPPORT_ORG)
OTHER_SUPPORT = Viewer(OrgKind.SUPPORT_PROVIDER, OTHER_SUPPORT_ORG)
TRAINING = Viewer(OrgKind.TRAINING_PROVIDER, TRAINING_ORG)
FT = Viewer(OrgKind.PUBLIC_EMPLOYMENT, FRANCE_TRAVAIL)
OFII = Viewer(OrgKind.IMMIGRATION_OFFICE, uuid4())
# An employer whose org id happens to equal a support provider's still is not that provider.
IMPOSTOR = Viewer(OrgKind.EMPLOYER, SUPPORT_ORG)


def test_the_org_kinds_are_the_gateways() -> None:
    assert {kind.value for kind in OrgKind} == {kind.value for kind in GatewayOrgKind}


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        (OPERATOR, True),
        (EMPLOYER, True),
        (OTHER_EMPLOYER, False),
        (SUPPORT, False),
        (TRAINING, False),
        (FT, False),
        (OFII, False),
    ],
)
def test_only_the_employer_itself_and_the_operator_see_its_vacancies_and_applications(
    viewer: Viewer, sees: bool
) -> None:
    assert access.may_see_employer_side(viewer, EMPLOYER_ORG) is sees


def test_an_employer_not_yet_linked_to_an_organisation_is_seen_by_the_operator_only() -> None:
    assert access.may_see_employer_side(OPERATOR, None)
    assert not access.may_see_employer_side(EMPLOYER, None)


@pytest.mark.parametrize(
    ("viewer", "step", "sees"),
    [
        (OPERATOR, 4, True),
        (EMPLOYER, 4, True),
        (OTHER_EMPLOYER, 4, False),
        (SUPPORT, 4, True),
        (OTHER_SUPPORT, 4, False),
        (TRAINING, 4, True),
        (TRAINING, 3, False),
        (FT, 4, False),
        (OFII, 4, False),
        (IMPOSTOR, 4, False),
    ],
)
def test_a_contract_is_seen_by_its_employer_the_persons_support_and_their_step_4_trainer(
    viewer: Viewer, step: int, sees: bool
) -> None:
    assert access.may_see_contract(viewer, EMPLOYER_ORG, path(step)) is sees


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        (OPERATOR, True),
        (EMPLOYER, True),
        (OTHER_EMPLOYER, False),
        (SUPPORT, True),
        (OTHER_SUPPORT, False),
        (TRAINING, True),
        (FT, False),
        (OFII, False),
        (IMPOSTOR, False),
    ],
)
def test_an_immersion_is_seen_by_its_host_and_the_persons_providers(viewer: Viewer, sees: bool) -> None:
    assert access.may_see_placement(viewer, EMPLOYER_ORG, path(3)) is sees


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        (OPERATOR, True),
        (SUPPORT, True),
        (OTHER_SUPPORT, False),
        (EMPLOYER, False),
        (TRAINING, False),
        (FT, False),
        (OFII, False),
    ],
)
def test_an_exit_outcome_is_seen_by_the_operator_and_the_persons_support_provider(viewer: Viewer, sees: bool) -> None:
    assert access.may_see_outcome(viewer, path()) is sees


@pytest.mark.parametrize(
    ("viewer", "consent", "sees"),
    [
        (OPERATOR, False, True),
        (SUPPORT, False, True),
        (OTHER_SUPPORT, True, False),
        (FT, True, True),
        (FT, False, False),
        (EMPLOYER, True, False),
        (TRAINING, True, False),
        (OFII, True, False),
        (IMPOSTOR, True, False),
    ],
)
def test_france_travail_sees_follow_ups_only_of_people_who_consented(viewer: Viewer, consent: bool, sees: bool) -> None:
    assert access.may_see_follow_up(viewer, path(consent=consent)) is sees


@pytest.mark.parametrize(
    ("viewer", "may"),
    [
        (OPERATOR, True),
        (SUPPORT, True),
        (OTHER_SUPPORT, False),
        (EMPLOYER, False),
        (TRAINING, False),
        (FT, False),
        (OFII, False),
        (IMPOSTOR, False),
    ],
)
def test_only_the_operator_and_the_persons_support_provider_put_them_forward(viewer: Viewer, may: bool) -> None:
    assert access.may_propose(viewer, path()) is may


def test_a_person_unknown_here_is_seen_by_the_operator_alone() -> None:
    assert access.may_see_outcome(OPERATOR, None)
    assert not access.may_see_outcome(SUPPORT, None)
    assert not access.may_see_follow_up(FT, None)
    assert not access.may_propose(SUPPORT, None)
    assert access.may_propose(SUPPORT, path())
