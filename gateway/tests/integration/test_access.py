"""One organisation's client cannot read or change another's objects through the gateway, on any ID path."""

from __future__ import annotations

import pytest

from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Platform, Registration

pytestmark = pytest.mark.integration


async def test_another_organisation_cannot_read_or_change_a_beneficiary(
    platform: Platform, registration: Registration
) -> None:
    ofii_a = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.WRITER)
    ofii_b = await platform.client(OrgKind.IMMIGRATION_OFFICE, Role.ADMIN)
    employer = await platform.client(OrgKind.EMPLOYER, Role.ADMIN)
    headers_a = await platform.headers(ofii_a)
    created = await platform.http.post("/api/enrolment/v1/beneficiaries", json=registration(), headers=headers_a)
    assert created.status_code == 201, created.text
    person = created.json()["id"]
    assert (await platform.http.get(f"/api/enrolment/v1/beneficiaries/{person}", headers=headers_a)).status_code == 200

    for outsider in (ofii_b, employer):
        headers = await platform.headers(outsider)
        base = f"/api/enrolment/v1/beneficiaries/{person}"
        attempts = [
            ("GET", base, None),
            ("POST", f"{base}/consents", {"purpose": "data_sharing_with_partners", "given": True}),
            ("POST", f"{base}/erasure", None),
            ("POST", f"{base}/pathway/transitions", {"action": "start_prerequisites"}),
            ("PUT", f"{base}/pathway/sector", {"sector_code": "logistics"}),
            ("GET", f"/api/beneficiaries/{person}/overview", None),
        ]
        for method, path, body in attempts:
            response = await platform.http.request(method, path, json=body, headers=headers)
            assert response.status_code in {403, 404}, (outsider, method, path, response.status_code, response.text)
        listed = await platform.http.get("/api/enrolment/v1/beneficiaries", headers=headers)
        assert person not in {item["id"] for item in listed.json().get("items", [])}

    still = await platform.http.get(f"/api/enrolment/v1/beneficiaries/{person}", headers=headers_a)
    assert still.json()["pathway"]["status"] == "registered"
    assert still.json()["erased"] is False
