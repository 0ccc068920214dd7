"""The read rule for notes and needs, for every organisation kind, role and level, own organisation or another."""

from dataclasses import dataclass
from itertools import product
from uuid import UUID

import pytest

from support_service.domain.access import (
    can_read_file,
    can_read_need,
    can_read_note,
    can_write_file,
    can_write_need,
    can_write_note,
    readable,
)
from support_service.domain.actor import Actor, OrgKind, Role
from support_service.domain.vocabulary import Confidentiality

AFPA = UUID("00000000-0000-4000-8000-00000000a003")  # writes the notes and supports the person
ELSEWHERE = UUID("00000000-0000-4000-8000-00000000a099")
SUPPORTING = frozenset({AFPA})

S, R, M = Confidentiality.STANDARD, Confidentiality.RESTRICTED, Confidentiality.MEDICAL
READING = ("admin", "writer", "reader", "medical")

# Who reads what, written out rather than derived: (org kind, own organisation?, role).
READERS: dict[Confidentiality, set[tuple[OrgKind, bool, str]]] = {
    S: {(OrgKind.SUPPORT_PROVIDER, True, role) for role in READING}
    | {(OrgKind.PROGRAMME_OPERATOR, own, role) for own in (True, False) for role in READING},
    R: {(OrgKind.SUPPORT_PROVIDER, True, role) for role in READING},
    M: {(OrgKind.SUPPORT_PROVIDER, True, "medical")},
}


@dataclass(frozen=True)
class AnyNote:
    level: Confidentiality
    author_org_id: UUID


def someone(org_kind: OrgKind, own: bool, *roles: str) -> Actor:
    return Actor("someone", AFPA if own else ELSEWHERE, org_kind, frozenset(Role(r) for r in roles))


CASES = list(product(Confidentiality, OrgKind, (True, False), [r.value for r in Role]))


@pytest.mark.parametrize(("level", "org_kind", "own", "role"), CASES)
def test_a_note_is_read_exactly_by_the_readers_its_level_names(level, org_kind, own, role) -> None:
    note = AnyNote(level, AFPA)
    expected = (org_kind, own, role) in READERS[level]
    assert can_read_note(someone(org_kind, own, role), note, SUPPORTING) is expected


def test_the_programme_operator_never_reads_a_medical_note_even_with_every_role() -> None:
    operator = someone(OrgKind.PROGRAMME_OPERATOR, True, *[r.value for r in Role])
    assert not can_read_note(operator, AnyNote(M, AFPA), SUPPORTING)
    assert not can_read_note(operator, AnyNote(R, AFPA), SUPPORTING)
    assert not can_read_need(operator, medical=True, file_org_id=AFPA, supporting_org_ids=SUPPORTING)


def test_a_second_supporting_organisation_reads_standard_notes_but_not_the_others_restricted_or_medical() -> None:
    second = Actor("etti-medic", ELSEWHERE, OrgKind.SUPPORT_PROVIDER, frozenset({Role.MEDICAL, Role.ADMIN}))
    both = frozenset({AFPA, ELSEWHERE})
    assert can_read_note(second, AnyNote(S, AFPA), both)
    assert not can_read_note(second, AnyNote(R, AFPA), both)
    assert not can_read_note(second, AnyNote(M, AFPA), both)


def test_a_list_shows_a_medical_note_only_to_those_who_may_read_it() -> None:
    notes = [AnyNote(S, AFPA), AnyNote(R, AFPA), AnyNote(M, AFPA)]
    medic = someone(OrgKind.SUPPORT_PROVIDER, True, "medical")
    colleague = someone(OrgKind.SUPPORT_PROVIDER, True, "admin")
    operator = someone(OrgKind.PROGRAMME_OPERATOR, True, "admin")
    assert [n.level for n in readable(medic, notes, SUPPORTING)] == [S, R, M]
    assert [n.level for n in readable(colleague, notes, SUPPORTING)] == [S, R]
    assert [n.level for n in readable(operator, notes, SUPPORTING)] == [S]
    assert readable(someone(OrgKind.EMPLOYER, False, "admin"), notes, SUPPORTING) == []


@pytest.mark.parametrize(("org_kind", "own", "role"), list(product(OrgKind, (True, False), [r.value for r in Role])))
def test_files_and_needs_are_read_by_the_supporting_organisation_and_the_operator_medical_needs_by_medical_only(
    org_kind, own, role
) -> None:
    actor = someone(org_kind, own, role)
    supports = org_kind is OrgKind.SUPPORT_PROVIDER and own and role in READING
    operates = org_kind is OrgKind.PROGRAMME_OPERATOR and role in READING
    assert can_read_file(actor, SUPPORTING) is (supports or operates)
    assert can_read_need(actor, medical=False, file_org_id=AFPA, supporting_org_ids=SUPPORTING) is (
        supports or operates
    )
    medical_reader = org_kind is OrgKind.SUPPORT_PROVIDER and own and role == "medical"
    assert can_read_need(actor, medical=True, file_org_id=AFPA, supporting_org_ids=SUPPORTING) is medical_reader


@pytest.mark.parametrize(("org_kind", "own", "role"), list(product(OrgKind, (True, False), [r.value for r in Role])))
def test_only_the_files_support_organisation_writes_and_only_its_medical_role_writes_health_data(
    org_kind, own, role
) -> None:
    actor = someone(org_kind, own, role)
    own_support = org_kind is OrgKind.SUPPORT_PROVIDER and own
    assert can_write_file(actor, AFPA) is (own_support and role in ("admin", "writer"))
    assert can_write_note(actor, S, AFPA) is (own_support and role in ("admin", "writer"))
    assert can_write_note(actor, R, AFPA) is (own_support and role in ("admin", "writer"))
    assert can_write_note(actor, M, AFPA) is (own_support and role == "medical")
    assert can_write_need(actor, medical=True, file_org_id=AFPA) is (own_support and role == "medical")


def test_the_reporting_role_alone_reads_nothing_even_at_the_operator() -> None:
    analyst = someone(OrgKind.PROGRAMME_OPERATOR, True, "reporting")
    assert not can_read_file(analyst, SUPPORTING)
    assert not can_read_note(analyst, AnyNote(S, AFPA), SUPPORTING)
