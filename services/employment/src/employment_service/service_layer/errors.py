"""Refusals of the use cases (not of the domain's rules)."""

from __future__ import annotations

from typing import Any

from hopekit.errors import ServiceError


class SiretKnown(ServiceError):
    category = "conflict"
    code = "siret_known"


class OrganisationLinked(ServiceError):
    """An employer organisation acts for one employer record only."""

    category = "conflict"
    code = "organisation_already_linked"


class PersonNotOnPath(ServiceError):
    """The person is unknown here (no event from enrolment yet) or erased."""

    category = "unprocessable"
    code = "person_not_on_path"

    def details(self) -> dict[str, Any]:
        return {"rule": "person_not_on_path"}
