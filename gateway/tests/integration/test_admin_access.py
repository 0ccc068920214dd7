"""Every admin endpoint, read off the router so that a new one is covered too, refuses every caller but the
programme operator's admins, and changes nothing when it refuses."""

from __future__ import annotations

import pytest
from starlette.routing import Route

from gateway_service.api import admin
from hope_contracts.vocabulary import OrgKind, Role

from .conftest import Credentials, Platform

pytestmark = pytest.mark.integration

# Everyone who is not an admin of the programme operator, each in an organisation of its own.
REFUSED = [
    (OrgKind.PROGRAMME_OPERATOR, Role.WRITER),
    (OrgKind.PROGRAMME_OPERATOR, Role.READER),
    (OrgKind.PROGRAMME_OPERATOR, Role.REPORTING),
    (OrgKind.PROGRAMME_OPERATOR, Role.MEDICAL),
    (OrgKind.IMMIGRATION_OFFICE, Role.ADMIN),
    (OrgKind.TRAINING_PROVIDER, Role.ADMIN),
    (OrgKind.SUPPORT_PROVIDER, Role.ADMIN),
    (OrgKind.EMPLOYER, Role.ADMIN),
    (OrgKind.PUBLIC_EMPLOYMENT, Role.ADMIN),
]


def _endpoints(target: Credentials) -> list[tuple[str, str]]:
    """(method, path) of each admin endpoint, its ids those of ``target``: objects that exist."""
    found = []
    for route in admin.router.routes:
        assert isinstance(route, Route)
        path = route.path.format(org_id=target.org_id, client_id=target.client_id)
        found += [(method, path) for method in sorted(route.methods or ())]
    return found


async def test_every_admin_endpoint_refuses_every_other_role_and_organisation_kind(platform: Platform) -> None:
    target = await platform.client(OrgKind.TRAINING_PROVIDER, Role.WRITER)
    endpoints = _endpoints(target)
    assert len(endpoints) >= 11
    before = await platform.http.get(
        f"/admin/v1/clients/{target.client_id}", headers=await platform.headers(platform.admin)
    )
    for org_kind, role in REFUSED:
        headers = await platform.headers(await platform.client(org_kind, role))
        for method, path in endpoints:
            response = await platform.http.request(method, path, json={}, headers=headers)
            assert response.status_code == 403, (org_kind, role, method, path, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
    for method, path in endpoints:
        response = await platform.http.request(method, path, json={})
        assert response.status_code == 401, (method, path)
    after = await platform.http.get(
        f"/admin/v1/clients/{target.client_id}", headers=await platform.headers(platform.admin)
    )
    assert after.json() == before.json()
    # The target's secret still works: no refused call rotated or revoked it.
    assert await platform.token(target)
