"""The document's links lead from an answer to the operations that take its id (api/links.py)."""

import re
from typing import Any

import pytest

from enrolment_service.api import links
from enrolment_service.main import create_app
from enrolment_service.settings import EnrolmentSettings


def document() -> dict[str, Any]:
    return create_app(EnrolmentSettings(database_url="sqlite+aiosqlite://")).openapi()


def test_a_registration_leads_to_the_persons_pathway_and_a_cohort_to_its_members() -> None:
    paths = document()["paths"]
    registered = paths["/v1/beneficiaries"]["post"]["responses"]["201"]["links"]
    cohort = paths["/v1/cohorts"]["post"]["responses"]["201"]["links"]

    assert registered["Transition"] == {
        "operationId": paths["/v1/beneficiaries/{beneficiary_id}/pathway/transitions"]["post"]["operationId"],
        "parameters": {"beneficiary_id": "$response.body#/id"},
    }
    assert cohort["AddMember"]["operationId"] == paths["/v1/cohorts/{cohort_id}/members"]["post"]["operationId"]
    assert cohort["AddMember"]["parameters"] == {"cohort_id": "$response.body#/id"}


def test_every_link_names_an_operation_of_the_document_and_a_parameter_it_has() -> None:
    built = document()
    operations = {
        operation["operationId"]: operation for item in built["paths"].values() for operation in item.values()
    }
    for item in built["paths"].values():
        for operation in item.values():
            for response in operation.get("responses", {}).values():
                for link in response.get("links", {}).values():
                    target = operations[link["operationId"]]
                    names = {parameter["name"] for parameter in target.get("parameters", [])}
                    assert set(link["parameters"]) <= names, (link, names)


def test_a_link_to_an_operation_the_document_lacks_fails_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    wrong = {**links.LINKS, (links.READ_COHORT, "200"): {"Nowhere": (("delete", links.COHORT), links.COHORT_IN_ANSWER)}}
    monkeypatch.setattr(links, "LINKS", wrong)
    with pytest.raises(LookupError, match=re.escape("DELETE /v1/cohorts/{cohort_id}")):
        document()
