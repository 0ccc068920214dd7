"""The programme operator cannot lock itself out of the admin API: deactivating its own organisation, or leaving
no admin client that can still get a token, is refused with 409 (the command line would be the only way back)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from gateway_service.cli import create_first_admin
from gateway_service.domain.scopes import vocabulary
from gateway_service.main import create_app
from hopekit.identity.principal import OrgKind, Role
from hopekit.testing import running

from .conftest import GATEWAY_ROOT, Platform, fresh_database

pytestmark = pytest.mark.integration


@dataclass
class Operator:
    http: httpx.AsyncClient
    org_id: str
    client_id: str
    headers: dict[str, str]


async def _token(http: httpx.AsyncClient, client_id: str, secret: str) -> dict[str, str]:
    response = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
async def operator(platform: Platform, postgres_admin_url: str) -> AsyncIterator[Operator]:
    """A gateway of its own, on a database of its own: the operator's one admin client is the only one."""
    async with fresh_database(postgres_admin_url, GATEWAY_ROOT) as database:
        app = create_app(platform.settings.model_copy(update={"database_url": database}))
        async with running(app) as http:
            issued = await create_first_admin(
                app.state.uow_factory, "AKTO", "bootstrap-admin", vocabulary(platform.settings.upstreams)
            )
            headers = await _token(http, issued.client.client_id, issued.secret)
            yield Operator(http, str(issued.client.org_id), issued.client.client_id, headers)


def _assert_conflict(response: httpx.Response) -> None:
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_operator_cannot_deactivate_its_own_organisation(operator: Operator) -> None:
    response = await operator.http.patch(
        f"/admin/v1/organisations/{operator.org_id}", json={"active": False}, headers=operator.headers
    )
    _assert_conflict(response)
    assert (await operator.http.get("/admin/v1/organisations", headers=operator.headers)).status_code == 200


async def test_the_last_admin_client_cannot_be_revoked(operator: Operator) -> None:
    response = await operator.http.post(f"/admin/v1/clients/{operator.client_id}/revoke", headers=operator.headers)
    _assert_conflict(response)
    assert (await operator.http.get("/admin/v1/organisations", headers=operator.headers)).status_code == 200


async def test_the_last_admin_client_cannot_lose_its_admin_role(operator: Operator) -> None:
    response = await operator.http.patch(
        f"/admin/v1/clients/{operator.client_id}", json={"roles": ["reader"]}, headers=operator.headers
    )
    _assert_conflict(response)


async def test_an_admin_client_can_be_revoked_while_another_remains(operator: Operator) -> None:
    created = await operator.http.post(
        f"/admin/v1/organisations/{operator.org_id}/clients",
        json={"name": "second-admin", "roles": ["admin"]},
        headers=operator.headers,
    )
    assert created.status_code == 201, created.text
    second = created.json()
    revoked = await operator.http.post(f"/admin/v1/clients/{second['client_id']}/revoke", headers=operator.headers)
    assert revoked.status_code == 200
    # Now the first is the last again.
    _assert_conflict(
        await operator.http.post(f"/admin/v1/clients/{operator.client_id}/revoke", headers=operator.headers)
    )


async def test_another_organisation_and_a_partners_admin_can_still_be_deactivated(operator: Operator) -> None:
    created = await operator.http.post(
        "/admin/v1/organisations",
        json={"name": "Provider", "org_kind": OrgKind.TRAINING_PROVIDER.value},
        headers=operator.headers,
    )
    org_id = created.json()["id"]
    client = await operator.http.post(
        f"/admin/v1/organisations/{org_id}/clients",
        json={"name": "is", "roles": [Role.ADMIN.value]},
        headers=operator.headers,
    )
    assert (
        await operator.http.post(f"/admin/v1/clients/{client.json()['client_id']}/revoke", headers=operator.headers)
    ).status_code == 200
    response = await operator.http.patch(
        f"/admin/v1/organisations/{org_id}", json={"active": False}, headers=operator.headers
    )
    assert response.status_code == 200
    assert response.json()["active"] is False
