"""The confidentiality matrix over HTTP on SQLite and PostgreSQL: every organisation kind, every role, and the
person's own support provider or another organisation, against a file holding a note at each level and a medical
and a non-medical need. The expected answers are written out here from the issue's rules, not computed by the
service's own access module."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest

from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer
from hopekit.uow import Database

from .support import Programme

pytestmark = pytest.mark.integration

READING = {Role.ADMIN, Role.WRITER, Role.READER, Role.MEDICAL}  # `reporting` alone reads nothing here
WRITING = {Role.ADMIN, Role.WRITER}


@dataclass(frozen=True)
class Caller:
    kind: OrgKind
    role: Role
    own: bool  # the person's support provider's own organisation id (for other kinds: the same id, another kind)

    @property
    def supporter(self) -> bool:
        return self.kind is OrgKind.SUPPORT_PROVIDER and self.own

    def reads_file(self) -> bool:
        return self.role in READING and (self.kind is OrgKind.PROGRAMME_OPERATOR or self.supporter)

    def reads(self, level: str) -> bool:
        if level == "standard":
            return self.reads_file()
        if level == "restricted":
            return self.role in READING and self.supporter
        return self.role is Role.MEDICAL and self.supporter

    def writes_standard(self) -> bool:
        return self.role in WRITING and self.supporter


CALLERS = [Caller(kind, role, own) for kind in OrgKind for role in Role for own in (True, False)]


async def test_every_organisation_kind_and_role_sees_exactly_what_the_rules_allow(
    client: httpx.AsyncClient, issuer: TokenIssuer, database: Database
) -> None:
    programme = Programme(client, issuer, database)
    org = uuid.uuid4()
    _, file_id = await programme.person_in_step_3(org)
    notes = {level: await programme.note(file_id, org, level, f"{level} note") for level in ("standard", "restricted")}
    notes["medical"] = await programme.note(file_id, org, "medical", "medical note")
    needs = {}
    for level, code, role in (
        ("standard", "social.budget", Role.WRITER),
        ("medical", "medical.care_access", Role.MEDICAL),
    ):
        made = await client.post(
            f"/v1/files/{file_id}/needs", json={"code": code}, headers=programme.support(org, role)
        )
        assert made.status_code == 201, made.text
        needs[level] = made.json()["id"]

    wrong: list[str] = []

    def expect(caller: Caller, what: str, got: object, want: object) -> None:
        if got != want:
            wrong.append(f"{caller.kind}/{caller.role}/{'own' if caller.own else 'other'} {what}: {got} != {want}")

    reason = {"reason_code": "follow_up"}
    for caller in CALLERS:
        headers = issuer.headers(caller.kind, caller.role, org_id=org if caller.own else uuid.uuid4())
        readable_file = caller.reads_file()

        expect(caller, "file", (await client.get(f"/v1/files/{file_id}", headers=headers)).status_code,
               200 if readable_file else 404)  # fmt: skip

        listed = await client.get(f"/v1/files/{file_id}/notes", headers=headers)
        seen = {item["id"] for item in listed.json()["items"]} if listed.status_code == 200 else set()
        seen &= set(notes.values())  # leave out the notes the writers among the callers add below
        expect(caller, "listed notes", seen, {notes[level] for level in notes if caller.reads(level)})

        for level, note_id in notes.items():
            if level == "medical":
                answer = await client.post(f"/v1/notes/{note_id}/reads", json=reason, headers=headers)
            else:
                answer = await client.get(f"/v1/notes/{note_id}", headers=headers)
            expect(caller, f"{level} note", answer.status_code, 200 if caller.reads(level) else 404)

        listed_needs = await client.get(f"/v1/files/{file_id}/needs", headers=headers)
        seen = {item["id"] for item in listed_needs.json()["items"]} if listed_needs.status_code == 200 else set()
        expect(caller, "listed needs", seen, {needs[level] for level in needs if caller.reads(level)})
        for level, need_id in needs.items():
            answer = await client.get(f"/v1/needs/{need_id}", headers=headers)
            expect(caller, f"{level} need", answer.status_code, 200 if caller.reads(level) else 404)

        written = await client.post(
            f"/v1/files/{file_id}/notes", json={"level": "standard", "body": "x"}, headers=headers
        )
        want = 201 if caller.writes_standard() else 403 if readable_file else 404
        expect(caller, "write standard note", written.status_code, want)

    assert wrong == []
    assert len(CALLERS) == 6 * 5 * 2
