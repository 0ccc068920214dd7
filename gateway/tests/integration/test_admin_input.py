"""The admin API takes its input as it is written: no coercion of types, and text bounds checked on what was sent,
not on what is left after trimming."""

from __future__ import annotations

from typing import Any

import pytest

from hopekit.identity.principal import OrgKind

from .conftest import Platform

pytestmark = pytest.mark.integration


def _assert_refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(error["field"] == field for error in response.json()["errors"]), response.text


@pytest.mark.parametrize("active", [1, 0, "true", "false", "yes", "no", "1", None])
async def test_active_must_be_a_json_boolean(platform: Platform, active: Any) -> None:
    org_id = await platform.organisation(OrgKind.EMPLOYER)
    response = await platform.http.patch(
        f"/admin/v1/organisations/{org_id}", json={"active": active}, headers=await platform.headers(platform.admin)
    )
    _assert_refused(response, "active")
    assert (
        await platform.http.get(f"/admin/v1/organisations/{org_id}", headers=await platform.headers(platform.admin))
    ).json()["active"] is True


@pytest.mark.parametrize("name", ["\t" + "a" * 200, "a" * 200 + "\t", " " * 5 + "b" * 200, "tab\tinside"])
async def test_an_organisation_name_is_bounded_and_checked_as_it_was_sent(platform: Platform, name: str) -> None:
    response = await platform.http.post(
        "/admin/v1/organisations",
        json={"name": name, "org_kind": OrgKind.EMPLOYER.value},
        headers=await platform.headers(platform.admin),
    )
    _assert_refused(response, "name")


async def test_a_name_of_exactly_the_limit_is_taken_and_surrounding_spaces_are_trimmed(platform: Platform) -> None:
    headers = await platform.headers(platform.admin)
    exact = await platform.http.post(
        "/admin/v1/organisations", json={"name": "c" * 200, "org_kind": OrgKind.EMPLOYER.value}, headers=headers
    )
    assert exact.status_code == 201, exact.text
    trimmed = await platform.http.post(
        "/admin/v1/organisations", json={"name": "  Trimmed SA  ", "org_kind": OrgKind.EMPLOYER.value}, headers=headers
    )
    assert trimmed.status_code == 201, trimmed.text
    assert trimmed.json()["name"] == "Trimmed SA"


async def test_a_client_name_is_checked_as_it_was_sent(platform: Platform) -> None:
    org_id = await platform.organisation(OrgKind.EMPLOYER)
    response = await platform.http.post(
        f"/admin/v1/organisations/{org_id}/clients",
        json={"name": "\t" + "n" * 200, "roles": ["reader"]},
        headers=await platform.headers(platform.admin),
    )
    _assert_refused(response, "name")
