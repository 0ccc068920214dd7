"""Medical notes on SQLite and PostgreSQL: sealed before they reach the database, read only by the medical role of
the writing organisation with a stated reason that is audited in the same transaction, never listed for anyone
else, and gone for good when the person is erased."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest

from hope_contracts import enrolment
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer, statements_sent
from hopekit.uow import Database

from .conftest import deliver
from .support import Programme, assert_problem, outbox, raw_rows

pytestmark = pytest.mark.integration

SECRET = "Suivi psychiatrique hebdomadaire, traitement par sertraline"


@pytest.fixture
def programme(client: httpx.AsyncClient, issuer: TokenIssuer, database: Database) -> Programme:
    return Programme(client, issuer, database)


async def test_a_medical_note_and_a_medical_need_are_only_ciphertext_in_the_raw_tables(
    programme: Programme, database_url: str
) -> None:
    org = uuid.uuid4()
    _person, file_id = await programme.person_in_step_3(org)
    note_id = await programme.note(file_id, org, "medical", SECRET)
    need = await programme.client.post(
        f"/v1/files/{file_id}/needs",
        json={"code": "medical.mental_health"},
        headers=programme.support(org, Role.MEDICAL),
    )
    assert need.status_code == 201, need.text
    read = await programme.client.post(
        f"/v1/notes/{note_id}/reads",
        json={"reason_code": "care_coordination", "reason_text": "sertraline dosage check"},
        headers=programme.support(org, Role.MEDICAL),
    )
    assert read.status_code == 200, read.text

    dump = repr(
        await raw_rows(database_url, "SELECT * FROM note_versions")
        + await raw_rows(database_url, "SELECT * FROM needs")
        + await raw_rows(database_url, "SELECT * FROM medical_reads")
        + await raw_rows(database_url, "SELECT * FROM audit_log")
        + await raw_rows(database_url, "SELECT * FROM outbox")
        + await raw_rows(database_url, "SELECT * FROM person_keys")
    )
    for plaintext in ("sertraline", "psychiatrique", "mental_health"):
        assert plaintext not in dump
    [version] = await raw_rows(database_url, "SELECT body, body_sealed FROM note_versions")
    assert version["body"] is None
    assert len(bytes(version["body_sealed"])) > len(SECRET)
    [stored_need] = await raw_rows(database_url, "SELECT code, code_sealed FROM needs")
    assert stored_need["code"] is None
    assert stored_need["code_sealed"] is not None
    # Nothing was published about the medical need, not even that it exists.
    assert [event["type"] for event in await outbox(database_url)] == ["fr.hope.support.support_file.opened.v1"]


async def test_the_medical_role_of_the_writing_organisation_reads_with_a_reason_and_the_read_is_audited(
    programme: Programme, database_url: str
) -> None:
    org = uuid.uuid4()
    _person, file_id = await programme.person_in_step_3(org)
    note_id = await programme.note(file_id, org, "medical", SECRET)
    medical = programme.support(org, Role.MEDICAL)

    read = await programme.client.post(f"/v1/notes/{note_id}/reads", json={"reason_code": "follow_up"}, headers=medical)
    assert read.status_code == 200, read.text
    assert [v["body"] for v in read.json()["versions"]] == [SECRET]

    [audit] = await raw_rows(database_url, "SELECT * FROM audit_log WHERE action = 'read_medical'")
    assert (audit["object_id"], audit["reason"], str(audit["actor_org_id"]).replace("-", "")) == (
        note_id,
        "follow_up",
        org.hex,
    )
    [row] = await raw_rows(database_url, "SELECT * FROM medical_reads")
    assert (str(row["note_id"]).replace("-", ""), row["reason_code"]) == (uuid.UUID(note_id).hex, "follow_up")


async def test_a_medical_read_without_a_reason_is_refused_and_leaves_no_audit_row(
    programme: Programme, database_url: str
) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    note_id = await programme.note(file_id, org, "medical", SECRET)
    medical = programme.support(org, Role.MEDICAL)

    assert_problem(await programme.client.get(f"/v1/notes/{note_id}", headers=medical), 422, "read-reason-required")
    assert_problem(await programme.client.post(f"/v1/notes/{note_id}/reads", json={}, headers=medical), 422)
    unknown = await programme.client.post(
        f"/v1/notes/{note_id}/reads", json={"reason_code": "curiosity"}, headers=medical
    )
    assert_problem(unknown, 422, "validation")
    assert await raw_rows(database_url, "SELECT * FROM medical_reads") == []
    assert await raw_rows(database_url, "SELECT * FROM audit_log WHERE action = 'read_medical'") == []


async def test_nobody_else_learns_a_medical_note_exists_not_even_the_operators_admin(programme: Programme) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    standard = await programme.note(file_id, org, "standard", "Rendez-vous CAF pris")
    medical = await programme.note(file_id, org, "medical", SECRET)
    reason = {"reason_code": "emergency"}

    for headers in (
        programme.headers(OrgKind.PROGRAMME_OPERATOR, Role.ADMIN, Role.READER, Role.MEDICAL),
        programme.support(org, Role.ADMIN, Role.WRITER, Role.READER),
        programme.support(uuid.uuid4(), Role.MEDICAL),
    ):
        listed = await programme.client.get(f"/v1/files/{file_id}/notes", headers=headers)
        if listed.status_code == 200:
            assert medical not in [item["id"] for item in listed.json()["items"]]
        else:
            assert_problem(listed, 404)
        assert_problem(await programme.client.get(f"/v1/notes/{medical}", headers=headers), 404)
        assert_problem(await programme.client.post(f"/v1/notes/{medical}/reads", json=reason, headers=headers), 404)

    mine = await programme.client.get(f"/v1/files/{file_id}/notes", headers=programme.support(org, Role.MEDICAL))
    items = {item["id"]: item for item in mine.json()["items"]}
    assert set(items) == {standard, medical}
    assert items[medical]["current"] is None  # listed, but its body only comes with a reason


async def test_a_correction_is_a_new_version_that_keeps_the_previous_one(programme: Programme) -> None:
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    note_id = await programme.note(file_id, org, "medical", "first version")
    medical = programme.support(org, Role.MEDICAL)
    corrected = await programme.client.post(
        f"/v1/notes/{note_id}/versions", json={"body": "second version"}, headers=medical
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["number"] == 2
    read = await programme.client.post(f"/v1/notes/{note_id}/reads", json={"reason_code": "follow_up"}, headers=medical)
    assert [(v["number"], v["body"]) for v in read.json()["versions"]] == [(1, "first version"), (2, "second version")]


async def test_a_medical_read_takes_the_persons_key_once_for_every_version_and_the_reason(
    database_url: str, issuer: TokenIssuer, database: Database, kek: str
) -> None:
    """The key is read (and unwrapped) once per read, not once per version plus once for the reason's text."""

    from hopekit.testing import running
    from support_service.main import create_app

    from .conftest import settings_for

    app = create_app(settings_for(database_url, issuer, kek=kek))
    async with running(app) as client:
        programme = Programme(client, issuer, database)
        org = uuid.uuid4()
        _, file_id = await programme.person_in_step_3(org)
        note_id = await programme.note(file_id, org, "medical", "first version")
        medical = programme.support(org, Role.MEDICAL)
        for body in ("second version", "third version"):
            corrected = await client.post(f"/v1/notes/{note_id}/versions", json={"body": body}, headers=medical)
            assert corrected.status_code == 201, corrected.text
        with statements_sent(app.state.database.engine) as statements:
            read = await client.post(
                f"/v1/notes/{note_id}/reads",
                json={"reason_code": "follow_up", "reason_text": "review"},
                headers=medical,
            )
    assert read.status_code == 200, read.text
    assert [v["body"] for v in read.json()["versions"]] == ["first version", "second version", "third version"]
    assert sum("person_keys" in statement for statement in statements) == 1, statements


async def test_erasure_destroys_the_persons_key_deletes_the_notes_and_says_so_in_the_audit(
    programme: Programme, database: Database, database_url: str
) -> None:
    org = uuid.uuid4()
    person, file_id = await programme.person_in_step_3(org)
    _other, other_file = await programme.person_in_step_3(org)
    await programme.note(file_id, org, "medical", SECRET)
    await programme.note(file_id, org, "standard", "Dossier CAF")
    kept = await programme.note(other_file, org, "medical", "someone else's")
    need = await programme.client.post(
        f"/v1/files/{file_id}/needs", json={"code": "medical.care_access"}, headers=programme.support(org, Role.MEDICAL)
    )
    assert need.status_code == 201

    assert await deliver(database, enrolment.BeneficiaryErased(beneficiary_id=person, occurred_at=datetime.now(UTC)))

    assert (
        await raw_rows(database_url, f"SELECT * FROM person_keys WHERE beneficiary_id = '{_db(person, database_url)}'")
        == []
    )
    assert len(await raw_rows(database_url, "SELECT * FROM person_keys")) == 1  # the other person's stays
    notes = await raw_rows(database_url, "SELECT id FROM notes")
    assert [str(n["id"]).replace("-", "") for n in notes] == [uuid.UUID(kept).hex]
    [erasure] = await raw_rows(database_url, "SELECT * FROM erasures")
    assert (erasure["notes_deleted"], erasure["needs_kept"], bool(erasure["key_destroyed"])) == (2, 1, True)
    [audit] = await raw_rows(database_url, "SELECT * FROM audit_log WHERE action = 'erase'")
    assert "notes_deleted:2" in audit["reason"]
    assert "key_destroyed:True" in audit["reason"]
    # The need is kept as a count, under a pseudonym: nothing links it to the person any more.
    [stored_need] = await raw_rows(database_url, "SELECT beneficiary_id, code_sealed FROM needs")
    assert str(stored_need["beneficiary_id"]).replace("-", "") != person.hex
    # Nothing is recreated for the erased person, whatever arrives later.
    opened = await programme.client.post(
        "/v1/files", json={"beneficiary_id": str(person)}, headers=programme.support(org)
    )
    assert_problem(opened, 422, "person-erased")


async def test_without_a_key_encryption_key_medical_data_is_refused_not_stored_in_clear(
    database_url: str, issuer: TokenIssuer, database: Database
) -> None:
    from hopekit.testing import running
    from support_service.main import create_app

    from .conftest import settings_for

    async with running(create_app(settings_for(database_url, issuer))) as client:
        programme = Programme(client, issuer, database)
        org = uuid.uuid4()
        _, file_id = await programme.person_in_step_3(org)
        refused = await client.post(
            f"/v1/files/{file_id}/notes",
            json={"level": "medical", "body": SECRET},
            headers=programme.support(org, Role.MEDICAL),
        )
        assert_problem(refused, 503, "encryption-unavailable")
    assert await raw_rows(database_url, "SELECT * FROM note_versions") == []


def _db(person: uuid.UUID, database_url: str) -> str:
    """How each database spells a uuid in SQL: SQLAlchemy stores it as 32 hex digits on SQLite."""
    return str(person) if database_url.startswith("postgresql") else person.hex
