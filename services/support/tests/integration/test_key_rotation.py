"""Key rotation on SQLite and PostgreSQL: after re-wrapping under a new key-encryption key, medical notes sealed
before it open with the new key alone, and the ciphertexts were not touched."""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

import pytest

from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import TokenIssuer, running
from hopekit.uow import Database
from support_service.adapters.envelope import KeyEncryptionKey
from support_service.main import create_app
from support_service.service_layer.rotation import rotate_keys

from .conftest import settings_for
from .support import Programme, assert_problem, raw_rows

pytestmark = pytest.mark.integration


async def test_rotation_rewraps_every_data_key_and_old_notes_open_with_the_new_key_alone(
    database_url: str, issuer: TokenIssuer, database: Database, kek: str, tmp_path: Path
) -> None:
    old_file = tmp_path / "kek-1"
    old_file.write_text(kek)
    new_kek = base64.b64encode(KeyEncryptionKey.generate()).decode()
    org = uuid.uuid4()
    async with running(create_app(settings_for(database_url, issuer, kek_file=old_file))) as client:
        programme = Programme(client, issuer, database)
        notes = []
        for _ in range(3):
            _, file_id = await programme.person_in_step_3(org)
            notes.append(await programme.note(file_id, org, "medical", "sealed under kek-1"))
    sealed_before = await raw_rows(database_url, "SELECT body_sealed FROM note_versions ORDER BY note_id")

    # Before rotation, the new key alone cannot open what the old one wrapped.
    async with running(create_app(settings_for(database_url, issuer, kek_id="kek-2", kek=new_kek))) as client:
        read = await client.post(
            f"/v1/notes/{notes[0]}/reads",
            json={"reason_code": "follow_up"},
            headers=issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.MEDICAL, org_id=org),
        )
        assert_problem(read, 503, "encryption-unavailable")

    rotating = settings_for(database_url, issuer, kek_id="kek-2", kek=new_kek, retired_kek_files={"kek-1": old_file})
    envelope = rotating.envelope()
    assert envelope is not None
    assert await rotate_keys(database, envelope, batch=2) == 3
    assert await rotate_keys(database, envelope, batch=2) == 0  # nothing left: running it again is harmless

    assert {row["kek_id"] for row in await raw_rows(database_url, "SELECT kek_id FROM person_keys")} == {"kek-2"}
    assert await raw_rows(database_url, "SELECT body_sealed FROM note_versions ORDER BY note_id") == sealed_before
    async with running(create_app(settings_for(database_url, issuer, kek_id="kek-2", kek=new_kek))) as client:
        for note_id in notes:
            read = await client.post(
                f"/v1/notes/{note_id}/reads",
                json={"reason_code": "follow_up"},
                headers=issuer.headers(OrgKind.SUPPORT_PROVIDER, Role.MEDICAL, org_id=org),
            )
            assert read.status_code == 200, read.text
            assert read.json()["versions"][0]["body"] == "sealed under kek-1"
