from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from support_service.domain.actor import OrgKind
from support_service.domain.errors import AccessDenied, InvalidValue, ReadReasonRequired
from support_service.domain.notes import MedicalReadAudit, Note, ReadReason, ReadReasonCode
from support_service.domain.vocabulary import Confidentiality

PERSON = UUID("00000000-0000-4000-8000-000000000001")
FILE = UUID("00000000-0000-4000-8000-0000000000f1")


def write(actor, now, afpa_id, level=Confidentiality.STANDARD, body="Rendez-vous CAF fixé."):
    return Note.write(
        note_id=uuid4(),
        file_id=FILE,
        beneficiary_id=PERSON,
        file_org_id=afpa_id,
        level=level,
        body=body,
        actor=actor,
        at=now,
    )


def test_a_correction_is_a_new_version_that_keeps_the_earlier_one(worker, now, afpa_id) -> None:
    note = write(worker, now, afpa_id)
    first = note.current
    second = note.correct("Rendez-vous CAF fixé au 3 octobre.", worker, now + timedelta(hours=1))
    assert [v.number for v in note.versions] == [1, 2]
    assert note.versions[0] is first
    assert first.body == "Rendez-vous CAF fixé."
    assert note.current is second


def test_a_medical_note_is_written_only_by_the_medical_role(actor, now, afpa_id) -> None:
    with pytest.raises(AccessDenied) as refused:
        write(actor("admin", "writer"), now, afpa_id, level=Confidentiality.MEDICAL)
    assert refused.value.category == "forbidden"
    note = write(actor("medical"), now, afpa_id, level=Confidentiality.MEDICAL)
    assert note.level is Confidentiality.MEDICAL


def test_another_organisation_cannot_correct_a_note(actor, now, afpa_id) -> None:
    note = write(actor("writer"), now, afpa_id)
    with pytest.raises(AccessDenied):
        note.correct("changed", actor("writer", org_id=uuid4()), now)
    assert len(note.versions) == 1


@pytest.mark.parametrize("body", ["", "   \n", "x" * 20_001])
def test_a_blank_or_oversized_body_is_refused_without_echoing_it(worker, now, afpa_id, body) -> None:
    with pytest.raises(InvalidValue) as refused:
        write(worker, now, afpa_id, body=body)
    assert body.strip() == "" or body not in str(refused.value.details())


def test_a_medical_read_without_a_reason_is_refused(actor, now, afpa_id) -> None:
    medic = actor("medical")
    note = write(medic, now, afpa_id, level=Confidentiality.MEDICAL)
    with pytest.raises(ReadReasonRequired):
        note.authorise_read(medic, frozenset({afpa_id}), None, now)


def test_a_medical_read_with_a_reason_returns_the_audit_row_of_who_when_which_and_why(actor, now, afpa_id) -> None:
    medic = actor("medical")
    note = write(medic, now, afpa_id, level=Confidentiality.MEDICAL)
    reason = ReadReason(ReadReasonCode.CARE_COORDINATION)
    audit = note.authorise_read(medic, frozenset({afpa_id}), reason, now)
    assert audit == MedicalReadAudit(note.id, PERSON, medic.subject, medic.org_id, now, reason)


def test_a_standard_read_needs_no_reason_and_writes_no_audit_row(actor, now, afpa_id) -> None:
    note = write(actor("writer"), now, afpa_id)
    assert note.authorise_read(actor("reader"), frozenset({afpa_id}), None, now) is None


def test_the_operator_admin_cannot_read_a_medical_note_even_with_a_reason(actor, now, afpa_id) -> None:
    note = write(actor("medical"), now, afpa_id, level=Confidentiality.MEDICAL)
    operator = actor("admin", "medical", org_kind=OrgKind.PROGRAMME_OPERATOR)
    with pytest.raises(AccessDenied):
        note.authorise_read(operator, frozenset({afpa_id}), ReadReason(ReadReasonCode.EMERGENCY), now)


def test_a_reason_text_has_a_bounded_length() -> None:
    with pytest.raises(InvalidValue):
        ReadReason(ReadReasonCode.FOLLOW_UP, "x" * 501)
