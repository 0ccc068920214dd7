"""OpenAPI links: which answer gives the id the next call needs (a registration's ``id`` is the person of every
pathway call, a cohort's ``id`` the cohort of its calendar and members). A generated client and schemathesis's
stateful phase follow them to walk the programme's workflows instead of guessing ids.

Written as data, by method and path, and resolved to the document's own ``operationId``s when the document is
built: a link to an operation that does not exist fails the build rather than sending a client nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI

Operation = tuple[str, str]  # (method, path)

BENEFICIARY = "/v1/beneficiaries/{beneficiary_id}"
COHORT = "/v1/cohorts/{cohort_id}"

READ_BENEFICIARY: Operation = ("get", BENEFICIARY)
RECORD_CONSENT: Operation = ("post", BENEFICIARY + "/consents")
ERASE: Operation = ("post", BENEFICIARY + "/erasure")
VALIDATE_PREREQUISITES: Operation = ("post", BENEFICIARY + "/pathway/prerequisites")
CHOOSE_SECTOR: Operation = ("put", BENEFICIARY + "/pathway/sector")
TRANSITION: Operation = ("post", BENEFICIARY + "/pathway/transitions")
LIST_BENEFICIARIES: Operation = ("get", "/v1/beneficiaries")
READ_COHORT: Operation = ("get", COHORT)
CHANGE_CALENDAR: Operation = ("put", COHORT + "/calendar")
ADD_MEMBER: Operation = ("post", COHORT + "/members")

# Where the person's id is in each kind of answer, or in the request that got it.
PERSON_IN_ANSWER = {"beneficiary_id": "$response.body#/id"}
PERSON_IN_PATH = {"beneficiary_id": "$request.path.beneficiary_id"}
COHORT_IN_ANSWER = {"cohort_id": "$response.body#/id"}

# What a person's pathway answer (BeneficiaryView) leads to: the next steps of the same person.
_PATHWAY_NEXT: dict[str, tuple[Operation, Mapping[str, str]]] = {
    "ReadBeneficiary": (READ_BENEFICIARY, PERSON_IN_ANSWER),
    "RecordConsent": (RECORD_CONSENT, PERSON_IN_ANSWER),
    "ValidatePrerequisites": (VALIDATE_PREREQUISITES, PERSON_IN_ANSWER),
    "ChooseSector": (CHOOSE_SECTOR, PERSON_IN_ANSWER),
    "Transition": (TRANSITION, PERSON_IN_ANSWER),
    "Erase": (ERASE, PERSON_IN_ANSWER),
}
# What a cohort's answer (CohortView) leads to.
_COHORT_NEXT: dict[str, tuple[Operation, Mapping[str, str]]] = {
    "ReadCohort": (READ_COHORT, COHORT_IN_ANSWER),
    "ChangeCalendar": (CHANGE_CALENDAR, COHORT_IN_ANSWER),
    "AddMember": (ADD_MEMBER, COHORT_IN_ANSWER),
    "ListMembers": (LIST_BENEFICIARIES, COHORT_IN_ANSWER),
}

# (operation, status of its answer) -> {link name: (target operation, {target parameter: expression})}
LINKS: dict[tuple[Operation, str], dict[str, tuple[Operation, Mapping[str, str]]]] = {
    (("post", "/v1/beneficiaries"), "201"): _PATHWAY_NEXT,
    (VALIDATE_PREREQUISITES, "200"): _PATHWAY_NEXT,
    (CHOOSE_SECTOR, "200"): _PATHWAY_NEXT,
    (TRANSITION, "200"): _PATHWAY_NEXT,
    (READ_BENEFICIARY, "200"): _PATHWAY_NEXT,
    (RECORD_CONSENT, "201"): {
        "ReadBeneficiary": (READ_BENEFICIARY, PERSON_IN_PATH),
        "RecordConsent": (RECORD_CONSENT, PERSON_IN_PATH),
        "Erase": (ERASE, PERSON_IN_PATH),
    },
    (ERASE, "200"): {"ReadBeneficiary": (READ_BENEFICIARY, PERSON_IN_ANSWER)},
    (("post", "/v1/cohorts"), "201"): _COHORT_NEXT,
    (READ_COHORT, "200"): _COHORT_NEXT,
    (CHANGE_CALENDAR, "200"): _COHORT_NEXT,
    (ADD_MEMBER, "200"): {
        **_COHORT_NEXT,
        "ReadMember": (READ_BENEFICIARY, {"beneficiary_id": "$request.body#/beneficiary_id"}),
    },
}


def add_links(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the links above on the answers they follow."""
    paths: dict[str, Any] = document["paths"]

    def operation_id(operation: Operation) -> str:
        method, path = operation
        try:
            return str(paths[path][method]["operationId"])
        except KeyError:
            raise LookupError(f"a link names {method.upper()} {path}, which the document does not have") from None

    for ((method, path), status), links in LINKS.items():
        response = paths[path][method]["responses"][status]
        response["links"] = {
            name: {"operationId": operation_id(target), "parameters": dict(parameters)}
            for name, (target, parameters) in links.items()
        }
    return document


def install_links(app: FastAPI) -> None:
    """Makes ``app.openapi()`` carry the links. The kit builds the document once and keeps it; adding the same
    links to it again on each call changes nothing."""
    generate: Callable[[], dict[str, Any]] = app.openapi
    app.openapi = lambda: add_links(generate())  # type: ignore[method-assign]
